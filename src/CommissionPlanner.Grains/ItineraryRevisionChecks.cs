using System.Threading.Channels;
using Orleans.Concurrency;
using CommissionPlanner.Data;
using CommissionPlanner.Data.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace CommissionPlanner.Grains;

/// <summary>
/// Compares itinerary grains' bookings with the database for them, many people in one read, off their request path. An
/// itinerary grain whose last comparison is older than <see cref="ItineraryOptions.ValidateAfterSeconds"/> asks for one
/// (<see cref="Request"/>) and goes on answering from memory; the revisions come back to it one-way
/// (<see cref="IItineraryGrain.Compare"/>).
/// </summary>
/// <remarks>
/// Why not each grain on its own, before it answers: after a quiet spell every active itinerary is due at once, and the
/// first requests (a morning's adds, every delegate's phone refreshing) then each waited for two queries of their own,
/// hundreds at a time. Here a request never waits for a comparison, and the reads batch themselves: while one runs, the
/// next grains' requests queue, and the next read takes them all. The work itself remains (for the load test's 800
/// people, some 64,000 revision rows), so the first second after a quiet minute is still slower than the rest
/// (docs/performance.md, eleventh session).
/// </remarks>
public sealed partial class ItineraryRevisionChecks(
    IDbContextFactory<PlannerDbContext> dbFactory, IGrainFactory grains, IClock clock, ILogger<ItineraryRevisionChecks> logger)
    : BackgroundService
{
    /// <summary>People per read: their ids travel as one array parameter.</summary>
    private const int MostPerRead = 500;

    private readonly Channel<Guid> requested = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Asks for the person's revisions; never waits. A request lost (this silo stopping) is asked again by the grain.</summary>
    public void Request(Guid personId) => requested.Writer.TryWrite(personId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new HashSet<Guid>();
        while (await requested.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < MostPerRead && requested.Reader.TryRead(out var personId))
            {
                batch.Add(personId);
            }

            try
            {
                await CompareAsync(batch, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException or Orleans.Runtime.OrleansException)
            {
                // The grains go on answering from memory and ask again (ItineraryGrain.CheckRetryAfter). Nothing here may
                // end the loop: a background service that throws stops the host.
                LogReadFailed(logger, batch.Count, ex);
            }

            batch.Clear();
        }
    }

    private async Task CompareAsync(IReadOnlyCollection<Guid> personIds, CancellationToken ct)
    {
        // Taken before the read: everything committed by then is in it, so the grain may trust it from this instant on.
        var readAt = clock.GetCurrentInstant();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var revisions = await ItineraryRows.RevisionsAsync(db, personIds, readAt, ct);
        foreach (var (personId, read) in revisions)
        {
            _ = grains.GetGrain<IItineraryGrain>(personId).Compare(new Immutable<ItineraryRevisions>(read));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the revisions of {Count} itineraries failed; their grains will ask again")]
    private static partial void LogReadFailed(ILogger logger, int count, Exception exception);
}
