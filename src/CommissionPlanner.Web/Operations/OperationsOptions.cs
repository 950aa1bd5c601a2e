using System.ComponentModel.DataAnnotations;

namespace CommissionPlanner.Web.Operations;

/// <summary>
/// Settings under <c>Planner:Operations</c> (environment variables <c>Planner__Operations__…</c>): how this
/// silo shuts down and how other silos' status pages can link to it. See docs/operations.md.
/// </summary>
public sealed class OperationsOptions
{
    public const string Section = "Planner:Operations";

    /// <summary>
    /// How long a stop (SIGTERM, Ctrl-C) may take in all: draining in-flight HTTP requests, then the silo
    /// deactivating its grains and leaving the cluster. Becomes <c>HostOptions.ShutdownTimeout</c>.
    /// </summary>
    [Range(1, 600)]
    public int ShutdownTimeoutSeconds { get; set; } = 45;

    /// <summary>
    /// After a stop begins, keep serving for this long while <c>/health/ready</c> already answers 503, so that
    /// a load balancer polling readiness takes this silo out before it stops accepting connections.
    /// 0 (the default) for local runs and tests; a few seconds behind a load balancer.
    /// </summary>
    [Range(0, 120)]
    public int DrainDelaySeconds { get; set; }

    /// <summary>
    /// How long a silo (or <c>--migrate-only</c>) that starts while PostgreSQL is unreachable keeps trying, with doubling
    /// waits up to 15 s, before it gives up with one line; 0 gives up at the first failure. It does not listen meanwhile,
    /// so it is neither live nor ready: a Kubernetes startupProbe must allow longer (deploy/kubernetes/deployment.yaml).
    /// </summary>
    [Range(0, 3600)]
    public int DatabaseWaitSeconds { get; set; } = 120;

    /// <summary>
    /// How long a request sent with an Idempotency-Key may hold its key (docs/idempotency.md). A retry meanwhile waits
    /// (409, Retry-After) while the silo handling it is alive; after this long, or once that silo is dead, the retry takes
    /// the request over, and the first attempt can no longer apply its change.
    /// </summary>
    [Range(5, 3600)]
    public int IdempotencyLeaseSeconds { get; set; } = 120;

    /// <summary>
    /// The URL this silo's HTTP API is reachable at by operators (for example http://10.0.0.5:8080). It is
    /// published as the silo's name in the membership table, so every silo's <c>/api/admin/cluster</c> can list it.
    /// </summary>
    [Url]
    public string? AdvertisedHttpUrl { get; set; }
}

/// <summary>Settings under <c>Planner:Telemetry</c>: OpenTelemetry export, off unless an endpoint is set.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Planner:Telemetry";

    /// <summary>The OTLP endpoint (e.g. http://otel-collector:4317). The standard OTEL_EXPORTER_OTLP_ENDPOINT also turns export on.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The service.name resource attribute (OTEL_SERVICE_NAME also works).</summary>
    public string ServiceName { get; set; } = "commission-planner";
}
