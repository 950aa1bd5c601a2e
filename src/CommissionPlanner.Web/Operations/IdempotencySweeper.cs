using CommissionPlanner.Data;
using CommissionPlanner.Domain.Changes;
using CommissionPlanner.Web.Hosting;
using Npgsql;

namespace CommissionPlanner.Web.Operations;

/// <summary>
/// Forgets Idempotency-Keys older than a day (<see cref="IdempotentRetries.Kept"/>), every ten minutes. Every silo runs one;
/// they delete the same old rows, which is harmless. An expired key is also claimed afresh when it is sent again, so the
/// sweep only keeps the table small.
/// </summary>
internal sealed partial class IdempotencySweeper(NpgsqlDataSource dataSource, ILogger<IdempotencySweeper> logger)
    : PeriodicDatabaseWork(TimeSpan.FromMinutes(10))
{
    protected override Task RunOnceAsync(CancellationToken cancellationToken) =>
        RequestClaims.SweepAsync(dataSource, IdempotentRetries.Kept, cancellationToken);

    protected override void LogFailed(Exception exception) => LogSweepFailed(logger, exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forgetting day-old Idempotency-Keys failed; the next sweep will retry")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
