namespace CommissionPlanner.Web.Hosting;

/// <summary>
/// Work run once at start, after <see cref="DatabaseStartup"/> and before the server listens, so that the first request
/// of a kind does not pay for what only the first one costs (EF Core compiling its queries, the JIT compiling its code
/// unoptimised). A warm-up decides nothing and writes nothing; a failure is logged and the start goes on.
/// </summary>
internal abstract class StartupWarmUp(ILogger logger, string what) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WarmUpAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "{What}: the warm-up failed; the first one after this start will be slower.", what);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected abstract Task WarmUpAsync(CancellationToken cancellationToken);
}
