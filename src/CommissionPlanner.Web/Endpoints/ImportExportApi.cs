using System.Security.Claims;
using CommissionPlanner.Data;
using CommissionPlanner.Data.Import;
using CommissionPlanner.Domain;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CommissionPlanner.Web.Endpoints;

/// <summary>Whole-programme import and export in the <c>commission-planner/programme@1</c> format (docs/import-format.md).</summary>
public static partial class ImportExportApi
{
    /// <summary>Import documents may be large (a full programme with every attendee); other endpoints keep a small limit.</summary>
    public const int MaxImportBytes = 32 * 1024 * 1024;

    /// <summary>
    /// The importer and exporter. They need the PlannerDbContext factory, IClock and IDateTimeZoneProvider; the import's
    /// travel check uses the configured IOptions&lt;TravelOptions&gt; (Planner:Travel), as the itineraries do, when registered.
    /// </summary>
    public static IServiceCollection AddImportExport(this IServiceCollection services)
    {
        services.TryAddSingleton(provider => new ProgrammeImporter(
            provider.GetRequiredService<IDbContextFactory<PlannerDbContext>>(),
            provider.GetRequiredService<IClock>(),
            provider.GetRequiredService<IDateTimeZoneProvider>(),
            provider.GetService<IOptions<TravelOptions>>()?.Value,
            // After an import commits, every itinerary grain of the programmes it changed compares its revisions.
            committed: async programmeIds =>
            {
                if (provider.GetService<IGrainFactory>() is { } grains)
                {
                    await using var db = await provider.GetRequiredService<IDbContextFactory<PlannerDbContext>>().CreateDbContextAsync();
                    await ItineraryNotices.TellProgrammesAsync(grains, db, programmeIds, CancellationToken.None);
                }
            }));
        services.TryAddSingleton<ProgrammeExporter>();
        return services;
    }

    public static RouteGroupBuilder MapImportExportApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/programmes").WithTags("Import and export");
        group.MapPost("/import", ImportProgramme)
            .RequireAuthorization(Policies.Plan)
            .WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes))
            .WithName("ImportProgramme")
            .WithSummary("Import a whole programme document; importing the same document again changes nothing.")
            .WithDescription(
                "Creates or updates the programme, venues, delegations, people, engagements and attendees of a "
                + "commission-planner/programme@1 document, keyed by their externalIds, in one transaction. Rows absent from "
                + "the document are left alone. An invalid document is rejected whole (400, every problem in 'errors'); nothing is written.")
            .Accepts<ProgrammeDocument>("application/json")
            .Produces<ImportSummary>(StatusCodes.Status201Created)
            .Produces<ImportSummary>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("/{id}/export", ExportProgramme)
            .RequireAuthorization(Policies.ReadProgramme)
            .WithName("ExportProgramme")
            .WithSummary("Export a programme as a document that imports back to the same programme.")
            .Produces<ProgrammeDocument>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> ImportProgramme(
        ProgrammeDocument? document, ProgrammeImporter importer, ClaimsPrincipal user, HttpContext http, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (document is null)
        {
            return Problems.BadRequest("body", $"A JSON programme document is required (format \"{ProgrammeDocument.FormatId}\").");
        }

        var outcome = await importer.ImportAsync(document, http.ToChangeActor(), cancellationToken);
        if (outcome.Errors is { } errors)
        {
            return errors.ToProblem(
                $"The document was not imported and nothing was written: it has {errors.Count} problem(s), listed in 'errors' by JSON path. "
                + "Correct them all and import it again.");
        }

        if (outcome.Conflict is { } conflict)
        {
            // A capacity refusal carries both numbers, as the API's own 409 does.
            return Problems.Conflict(conflict, outcome.ConflictNumbers?.ToDictionary(n => n.Key, n => (object?)n.Value));
        }

        var summary = outcome.Summary!;
        LogImported(loggers.CreateLogger(typeof(ImportExportApi)), summary.ProgrammeId, summary.CreatedProgramme, summary.NothingChanged, user.Actor());
        return summary.CreatedProgramme
            ? TypedResults.Created($"/api/programmes/{summary.ProgrammeId}", summary)
            : TypedResults.Ok(summary);
    }

    internal static async Task<IResult> ExportProgramme(string id, ProgrammeExporter exporter, CancellationToken cancellationToken)
    {
        if (!Problems.TryParseId(id, out var programmeId))
        {
            return Problems.NotFound("programme");
        }

        var document = await exporter.ExportAsync(programmeId, cancellationToken);
        return document is null ? Problems.NotFound("programme") : TypedResults.Ok(document);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Programme {ProgrammeId} imported by {Actor} (new: {Created}, unchanged: {Unchanged})")]
    private static partial void LogImported(ILogger logger, Guid programmeId, bool created, bool unchanged, string actor);
}
