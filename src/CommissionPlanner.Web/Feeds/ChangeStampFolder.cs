using CommissionPlanner.Data;
using Npgsql;

namespace CommissionPlanner.Web.Feeds;

/// <summary>
/// Folds the programme change marks into their programmes' stamps every second, so the count a feed request makes
/// (<see cref="ProgrammeChanges.ProgrammeStamps"/>) stays small: at most a second's worth of changes. Every silo runs one;
/// only one folds at a time. A failed fold (the database away for a moment) loses nothing: the marks stay and the
/// stamp stays right, only the count grows until the next fold succeeds.
/// </summary>
internal sealed partial class ChangeStampFolder(NpgsqlDataSource dataSource, ILogger<ChangeStampFolder> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ProgrammeChanges.FoldAsync(dataSource, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
            {
                LogFoldFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Folding programme change marks failed; the next fold will retry")]
    private static partial void LogFoldFailed(ILogger logger, Exception exception);
}
