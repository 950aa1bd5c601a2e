using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;

namespace CommissionPlanner.Web.Operations;

/// <summary>
/// Running as a cluster (docs/operations.md): membership timing, graceful shutdown, Kubernetes hosting,
/// telemetry, and the admins' cluster status route.
/// </summary>
public static class OperationsExtensions
{
    /// <summary>Orleans' membership settings (<c>Orleans:Membership:*</c>), with defaults that notice a dead silo in seconds.</summary>
    public const string MembershipSection = "Orleans:Membership";

    /// <summary>Orleans' messaging settings (<c>Orleans:Messaging:*</c>), e.g. ResponseTimeout.</summary>
    public const string MessagingSection = "Orleans:Messaging";

    public static IHostApplicationBuilder AddPlannerOperations(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<OperationsOptions>().BindConfiguration(OperationsOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Graceful shutdown: readiness fails first, requests drain, then the silo hands over its grains.
        services.AddOptions<HostOptions>().Configure<IOptions<OperationsOptions>>((host, operations) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(operations.Value.ShutdownTimeoutSeconds));
        services.AddHostedService<DrainDelay>();
        services.AddHealthChecks().AddCheck<ShutdownReadinessCheck>("shutdown", tags: ["ready", "feeds"]);

        // A silo that dies without leaving (SIGKILL, power loss) is declared dead by its peers' probes. Orleans'
        // defaults take up to about half a minute; these take about 6-10 seconds (3 missed probes of 2 s, then the votes).
        // Each is a plain setting: Orleans__Membership__ProbeTimeout=00:00:05 and so on.
        services.AddOptions<ClusterMembershipOptions>()
            .Configure(membership =>
            {
                membership.ProbeTimeout = TimeSpan.FromSeconds(2);
                membership.NumMissedProbesLimit = 3;
                membership.NumVotesForDeathDeclaration = 2;
                membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
                membership.TableRefreshTimeout = TimeSpan.FromSeconds(10);
            })
            .BindConfiguration(MembershipSection);
        services.AddOptions<SiloMessagingOptions>().BindConfiguration(MessagingSection);

        // Database failures inside grains cross silos as an exception Orleans can serialize (answered 503, not 500).
        builder.UseOrleans(orleans => orleans.AddIncomingGrainCallFilter<Hosting.DatabaseFaultFilter>());

        var kubernetes = builder.Configuration.GetValue<bool>("Orleans:Kubernetes:Enabled");
        if (kubernetes)
        {
            // Pod name, namespace, IP and the cluster and service ids come from the pod's environment (deploy/kubernetes);
            // the agent also declares silos dead whose pods are gone, and deletes pods of silos declared dead.
            builder.UseOrleans(orleans => orleans.UseKubernetesHosting());
        }
        else
        {
            // The silo's name is its HTTP URL when it has one, so every silo's status page can link to its peers.
            services.AddOptions<SiloOptions>().Configure<IOptions<OperationsOptions>>((silo, operations) =>
            {
                if (operations.Value.AdvertisedHttpUrl is { Length: > 0 } url)
                {
                    silo.SiloName = url.TrimEnd('/');
                }
            });
        }

        builder.AddPlannerTelemetry();
        return builder;
    }

    /// <summary>Maps <c>GET /api/admin/cluster</c> under the API group.</summary>
    public static void MapPlannerOperations(this IEndpointRouteBuilder api) => api.MapClusterStatusApi();
}
