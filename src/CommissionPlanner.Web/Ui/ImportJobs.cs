using System.Collections.Concurrent;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Data.Import;
using Microsoft.Extensions.Localization;
using NodaTime;

namespace CommissionPlanner.Web.Ui;

/// <summary>One programme import started from the web interface, running in the background.</summary>
public sealed class ImportJob
{
    private static readonly IStringLocalizer L = Localised.For(typeof(ImportJob));

    public required Guid Id { get; init; }

    public required Guid? OwnerKeyId { get; init; }

    public required string FileName { get; init; }

    public required int VenueCount { get; init; }

    public required int DelegationCount { get; init; }

    public required int EngagementCount { get; init; }

    public required Instant StartedAt { get; init; }

    public Instant? FinishedAt { get; set; }

    public ImportSummary? Summary { get; set; }

    public IReadOnlyDictionary<string, string[]>? Errors { get; set; }

    /// <summary>Why the importer refused the document, in its own words (see <see cref="ProblemText"/>).</summary>
    public string? Problem { get; set; }

    /// <summary>The import threw: nothing was written, and the log says why.</summary>
    public bool FailedUnexpectedly { get; set; }

    /// <summary>What the status page shows: the importer's refusal, or that the import failed, in the reader's language.</summary>
    public string? ProblemText => FailedUnexpectedly
        ? L["The import failed unexpectedly; nothing was written. Try again, or ask an administrator to check the logs."]
        : Problem;

    public bool Running => FinishedAt is null;
}

/// <summary>
/// Imports run in the background so a large document does not hold the browser's request open: the upload answers at
/// once with a status page that refreshes itself until the import has finished (docs/web-ui.md). The importer is the
/// API's (<see cref="ProgrammeImporter"/>: one transaction, every problem listed). Jobs live in this process's memory
/// for an hour; the status page of a job started on another silo answers 404.
/// </summary>
public sealed partial class ImportJobs(ProgrammeImporter importer, IClock clock, ILogger<ImportJobs> logger)
{
    private readonly ConcurrentDictionary<Guid, ImportJob> jobs = new();

    public ImportJob Start(ProgrammeDocument document, string fileName, ChangeActor actor)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(actor);
        Prune();
        var job = new ImportJob
        {
            Id = Guid.CreateVersion7(),
            OwnerKeyId = actor.KeyId,
            FileName = fileName,
            VenueCount = document.Venues?.Count ?? 0,
            DelegationCount = document.Delegations?.Count ?? 0,
            EngagementCount = document.Engagements?.Count ?? 0,
            StartedAt = clock.GetCurrentInstant(),
        };
        jobs[job.Id] = job;
        _ = Task.Run(async () =>
        {
            try
            {
                var outcome = await importer.ImportAsync(document, actor, CancellationToken.None);
                job.Summary = outcome.Summary;
                job.Errors = outcome.Errors?.ToDictionary();
                job.Problem = outcome.Conflict;
            }
#pragma warning disable CA1031 // A background job must record any failure for its status page rather than crash the process.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(logger, ex, job.Id);
                job.FailedUnexpectedly = true;
            }
            finally
            {
                job.FinishedAt = clock.GetCurrentInstant();
            }
        });
        return job;
    }

    public ImportJob? Find(Guid id) => jobs.TryGetValue(id, out var job) ? job : null;

    private void Prune()
    {
        var cutoff = clock.GetCurrentInstant() - Duration.FromHours(1);
        foreach (var (id, job) in jobs)
        {
            if (job.FinishedAt is { } finished && finished < cutoff)
            {
                jobs.TryRemove(id, out _);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Import {JobId} from the web interface failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid jobId);
}
