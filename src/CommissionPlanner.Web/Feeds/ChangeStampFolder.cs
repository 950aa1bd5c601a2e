using CommissionPlanner.Data;
using CommissionPlanner.Web.Hosting;
using Npgsql;

namespace CommissionPlanner.Web.Feeds;

/// <summary>
/// Folds the programme change marks into their programmes' stamps every second, so the count a feed request makes
/// (<see cref="ProgrammeChanges.ProgrammeStamps"/>) stays small: at most a second's worth of changes. Every silo runs one;
/// only one folds at a time. A failed fold (the database away for a moment) loses nothing: the marks stay and the
/// stamp stays right, only the count grows until the next fold succeeds.
/// </summary>
internal sealed partial class ChangeStampFolder(NpgsqlDataSource dataSource, ILogger<ChangeStampFolder> logger)
    : PeriodicDatabaseWork(TimeSpan.FromSeconds(1))
{
    protected override Task RunOnceAsync(CancellationToken cancellationToken) => ProgrammeChanges.FoldAsync(dataSource, cancellationToken);

    protected override void LogFailed(Exception exception) => LogFoldFailed(logger, exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Folding programme change marks failed; the next fold will retry")]
    private static partial void LogFoldFailed(ILogger logger, Exception exception);
}
