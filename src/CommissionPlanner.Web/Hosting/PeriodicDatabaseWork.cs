namespace CommissionPlanner.Web.Hosting;

/// <summary>
/// Work a silo does on PostgreSQL at a fixed interval (folding change marks, forgetting old keys). A run that fails
/// because the database is away for a moment is logged and left to the next run: such work loses nothing by waiting.
/// </summary>
internal abstract class PeriodicDatabaseWork(TimeSpan interval) : BackgroundService
{
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected abstract void LogFailed(Exception exception);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
            {
                LogFailed(ex);
            }
        }
    }
}
