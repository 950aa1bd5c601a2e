using CommissionPlanner.Data;
using CommissionPlanner.Domain.Changes;
using Npgsql;

namespace CommissionPlanner.Web.Operations;

/// <summary>
/// Forgets Idempotency-Keys older than a day (<see cref="IdempotentRetries.Kept"/>), every ten minutes. Every silo runs one;
/// they delete the same old rows, which is harmless. An expired key is also claimed afresh when it is sent again, so the
/// sweep only keeps the table small.
/// </summary>
internal sealed partial class IdempotencySweeper(NpgsqlDataSource dataSource, ILogger<IdempotencySweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RequestClaims.SweepAsync(dataSource, IdempotentRetries.Kept, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forgetting day-old Idempotency-Keys failed; the next sweep will retry")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
