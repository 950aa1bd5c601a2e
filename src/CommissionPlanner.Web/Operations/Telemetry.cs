using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CommissionPlanner.Web.Operations;

/// <summary>
/// OpenTelemetry traces and metrics over OTLP: ASP.NET Core requests, Orleans grain calls and its runtime
/// meters, and Npgsql commands. Off (nothing registered, no cost) unless <c>Planner:Telemetry:OtlpEndpoint</c>
/// or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
internal static class Telemetry
{
    /// <summary>Orleans' activity sources (grain calls; application-level and runtime-level).</summary>
    private static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>Orleans' meter, .NET's own runtime meter, and Kestrel's connection meter.</summary>
    private static readonly string[] Meters = ["Microsoft.Orleans", "System.Runtime", "Microsoft.AspNetCore.Server.Kestrel"];

    public static bool IsEnabled(IConfiguration configuration, out Uri? explicitEndpoint)
    {
        explicitEndpoint = null;
        var configured = configuration[$"{TelemetryOptions.Section}:OtlpEndpoint"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!Uri.TryCreate(configured, UriKind.Absolute, out explicitEndpoint))
            {
                throw new Hosting.StartupException($"Planner:Telemetry:OtlpEndpoint must be an absolute URL such as http://otel-collector:4317, not '{configured}'.");
            }

            return true;
        }

        return !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
    }

    public static void AddPlannerTelemetry(this IHostApplicationBuilder builder)
    {
        if (!IsEnabled(builder.Configuration, out var endpoint))
        {
            return;
        }

        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"]
            ?? builder.Configuration[$"{TelemetryOptions.Section}:ServiceName"]
            ?? "commission-planner";
        void Exporter(OtlpExporterOptions otlp)
        {
            // Otherwise the exporter reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL and _HEADERS itself.
            if (endpoint is not null)
            {
                otlp.Endpoint = endpoint;
            }
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(asp =>
                {
                    // Health probes every few seconds would drown the interesting traces.
                    asp.Filter = http => !http.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal);
                    // url.path of a feed or reply-link request is its secret: the span keeps the route (http.route) only.
                    asp.EnrichWithHttpRequest = (activity, request) => SecretSpanTags.Redact(activity);
                })
                // First in the chain, so that no exporter after it ever sees a secret path (docs/security.md).
                .AddProcessor(new SecretSpanTags())
                .AddSource(OrleansSources)
                .AddNpgsql()
                .AddOtlpExporter(Exporter))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter(Meters)
                .AddNpgsqlInstrumentation()
                .AddOtlpExporter(Exporter));

        // Trace context flows with grain calls (and across silos), so a request's trace shows its grain calls.
        builder.UseOrleans(orleans => orleans.AddActivityPropagation());
    }
}

/// <summary>
/// Removes feed and reply-link secrets from spans as they end, before any exporter runs: every string tag (url.path,
/// url.full, a database statement that quoted a URL, …) and the span's name go through <see cref="Security.SecretPaths.Redact"/>.
/// </summary>
internal sealed class SecretSpanTags : BaseProcessor<System.Diagnostics.Activity>
{
    public override void OnEnd(System.Diagnostics.Activity data) => Redact(data);

    public static void Redact(System.Diagnostics.Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        List<KeyValuePair<string, string>>? changes = null;
        foreach (var tag in activity.TagObjects)
        {
            if (tag.Value is string text && Security.SecretPaths.MayHoldSecret(text))
            {
                (changes ??= []).Add(new(tag.Key, Security.SecretPaths.Redact(text)));
            }
        }

        foreach (var (key, value) in changes ?? [])
        {
            activity.SetTag(key, value);
        }

        if (Security.SecretPaths.MayHoldSecret(activity.DisplayName))
        {
            activity.DisplayName = Security.SecretPaths.Redact(activity.DisplayName);
        }
    }
}
