using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CommissionPlanner.Web.Operations;

/// <summary>
/// Not ready from the moment a stop begins: a load balancer polling <c>/health/ready</c> stops sending
/// requests while this silo drains the ones it has.
/// </summary>
internal sealed class ShutdownReadinessCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("Shutting down.")
            : HealthCheckResult.Healthy("Running."));
}

/// <summary>
/// The first step of a stop: the host fires ApplicationStopping (readiness turns 503), then runs every
/// <see cref="IHostedLifecycleService.StoppingAsync"/> before any service stops. Waiting here for
/// <see cref="OperationsOptions.DrainDelaySeconds"/> keeps Kestrel accepting requests until the load balancer
/// has noticed; Kestrel then stops accepting and drains in-flight requests, and after it the Orleans silo
/// deactivates its grains and leaves the cluster, all within <see cref="OperationsOptions.ShutdownTimeoutSeconds"/>.
/// </summary>
internal sealed partial class DrainDelay(IOptions<OperationsOptions> options, ILogger<DrainDelay> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var delay = options.Value.DrainDelaySeconds;
        LogStopping(logger, delay);
        if (delay > 0)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(delay), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The shutdown timeout ran out: go on stopping.
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: readiness now answers 503; serving for {DrainDelaySeconds} s more, then draining requests and deactivating grains.")]
    private static partial void LogStopping(ILogger logger, int drainDelaySeconds);
}
