using CommissionPlanner.Web.Hosting;
using CommissionPlanner.Web.Security;
using Microsoft.Extensions.Options;
using NodaTime;
using Orleans.Runtime;

namespace CommissionPlanner.Web.Operations;

/// <summary>One silo as the membership table lists it.</summary>
/// <param name="Address">The silo-to-silo endpoint and generation (ip:port@generation).</param>
/// <param name="Name">The silo's name: its advertised HTTP URL when it has one (Planner:Operations:AdvertisedHttpUrl).</param>
/// <param name="HostName">The machine (or pod) the silo runs on.</param>
/// <param name="HttpUrl">Where its HTTP API is, when known.</param>
/// <param name="Status">active, joining, shuttingDown, stopping, dead …</param>
/// <param name="StartedAt">When the silo started.</param>
/// <param name="LastHeartbeatAt">The silo's last "I am alive" write to the membership table.</param>
/// <param name="IsThisSilo">Whether this silo answered the request.</param>
/// <param name="ActivationCount">Grain activations on the silo in all.</param>
/// <param name="Activations">Grain activations on the silo by grain type (active silos only, when they answered in time).</param>
public sealed record SiloStatusResource(
    string Address,
    string Name,
    string HostName,
    string? HttpUrl,
    string Status,
    Instant StartedAt,
    Instant? LastHeartbeatAt,
    bool IsThisSilo,
    int? ActivationCount,
    IReadOnlyDictionary<string, int>? Activations);

public sealed record ClusterStatusResource(
    string ClusterId, string ServiceId, string ThisSilo, int ActiveSilos, bool ActivationCountsAvailable, IReadOnlyList<SiloStatusResource> Silos);

/// <summary>
/// <c>GET /api/admin/cluster</c>: the cluster as this silo sees it (admins only), the planner's stand-in for
/// Orleans' dashboard, which is not published for Orleans 10. Any silo answers it.
/// </summary>
public static class ClusterStatusApi
{
    private static readonly TimeSpan StatisticsTimeout = TimeSpan.FromSeconds(5);

    public static void MapClusterStatusApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/admin/cluster", GetStatus).RequireAuthorization(Policies.Admin).WithTags("Operations").WithName("ClusterStatus")
            .WithSummary("The silos of the cluster: address, status, start time, HTTP URL and grain activations.");
    }

    private static async Task<IResult> GetStatus(
        IGrainFactory grains, ILocalSiloDetails localSilo, IOptions<SiloOptions> silo, ILogger<ClusterStatusResource> logger, CancellationToken cancellationToken)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false, cancellationToken: cancellationToken).WaitAsync(StatisticsTimeout, cancellationToken);

        Dictionary<SiloAddress, Dictionary<string, int>>? activations = null;
        try
        {
            var statistics = await management.GetSimpleGrainStatistics(cancellationToken).WaitAsync(StatisticsTimeout, cancellationToken);
            activations = statistics
                .GroupBy(s => s.SiloAddress)
                .ToDictionary(g => g.Key, g => g
                    .GroupBy(s => ShortTypeName(s.GrainType), StringComparer.Ordinal)
                    .ToDictionary(t => t.Key, t => t.Sum(s => s.ActivationCount), StringComparer.Ordinal));
        }
#pragma warning disable CA1031 // Counts are a nicety: a slow or failing silo must not take the status page down.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Grain statistics were not available for the cluster status");
        }

        var silos = hosts
            .OrderBy(h => h.Status == SiloStatus.Active ? 0 : h.Status == SiloStatus.Dead ? 2 : 1)
            .ThenByDescending(h => h.StartTime)
            .Select(h =>
            {
                // An active silo missing from the statistics has no activations; others are unknown.
                var counts = activations is null ? null
                    : activations.TryGetValue(h.SiloAddress, out var c) ? c
                    : h.Status == SiloStatus.Active ? new Dictionary<string, int>(StringComparer.Ordinal) : null;
                return new SiloStatusResource(
                    h.SiloAddress.ToParsableString(),
                    h.SiloName ?? string.Empty,
                    h.HostName ?? string.Empty,
                    HttpUrlOf(h.SiloName),
                    StatusName(h.Status),
                    Instant.FromDateTimeUtc(DateTime.SpecifyKind(h.StartTime, DateTimeKind.Utc)),
                    h.IAmAliveTime == default ? null : Instant.FromDateTimeUtc(DateTime.SpecifyKind(h.IAmAliveTime, DateTimeKind.Utc)),
                    h.SiloAddress.Equals(localSilo.SiloAddress),
                    counts?.Values.Sum(),
                    counts);
            })
            .ToList();

        return Results.Ok(new ClusterStatusResource(
            silo.Value.ClusterId,
            silo.Value.ServiceId,
            localSilo.SiloAddress.ToParsableString(),
            silos.Count(s => s.Status == "active"),
            activations is not null,
            silos));
    }

    private static string StatusName(SiloStatus status)
    {
        var name = status.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    private static string? HttpUrlOf(string? siloName) =>
        Uri.TryCreate(siloName, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri.ToString().TrimEnd('/')
            : null;

    // "CommissionPlanner.Grains.EngagementGrain" → "EngagementGrain"; Orleans' own types keep their last segment too.
    private static string ShortTypeName(string grainType)
    {
        var name = grainType.Split(',')[0];
        var dot = name.LastIndexOf('.');
        return dot >= 0 ? name[(dot + 1)..] : name;
    }
}
