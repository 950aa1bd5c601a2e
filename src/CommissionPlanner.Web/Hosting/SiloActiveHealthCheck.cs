using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace CommissionPlanner.Web.Hosting;

/// <summary>Ready only once this silo has joined the cluster and is active.</summary>
internal sealed class SiloActiveHealthCheck(IClusterMembershipService membership, ILocalSiloDetails localSilo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(localSilo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("Silo active.")
            : HealthCheckResult.Unhealthy($"Silo is {status}."));
    }
}
