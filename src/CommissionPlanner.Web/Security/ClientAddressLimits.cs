using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using CommissionPlanner.Web.Endpoints;
using Microsoft.Extensions.Options;

namespace CommissionPlanner.Web.Security;

/// <summary>
/// Limits that run before authentication, per client address (after forwarded headers, when a proxy is configured), so a
/// flood costs the planner neither a key look-up nor a query:
/// <list type="bullet">
/// <item>every request counts against <see cref="RateLimitOptions.AddressPerMinute"/>;</item>
/// <item>a request that needs a look-up (an Authorization header, a feed or reply token, a sign-in) is refused once its
/// address had <see cref="RateLimitOptions.FailedLookupsPerMinute"/> failed look-ups in the window: a guesser with a fresh
/// key or token each time gets no fresh allowance;</item>
/// <item>an unknown feed or reply token is remembered by its hash for <see cref="RateLimitOptions.FailedLookupMemorySeconds"/>
/// and answered 404 without asking PostgreSQL again (tokens are random: one that was unknown never becomes valid). Unknown
/// API keys are remembered the same way by <see cref="ApiKeyLookup"/>.</item>
/// </list>
/// Over a limit: 429 problem details with Retry-After, as <see cref="RateLimits"/> answers.
/// </summary>
internal sealed class ClientAddressLimits : IDisposable
{
    /// <summary>More unknown tokens than a minute of floods at the limits leaves; past it the memory starts over.</summary>
    private const int MaxRemembered = 100_000;

    private readonly RateLimitOptions settings;
    private readonly PartitionedRateLimiter<string> requests;
    private readonly PartitionedRateLimiter<string> failures;
    private readonly ConcurrentDictionary<string, long> unknownTokens = new(StringComparer.Ordinal);

    private readonly ApiKeyLookup keys;
    private readonly IOptions<OidcOptions> oidc;

    public ClientAddressLimits(IOptions<RateLimitOptions> options, ApiKeyLookup keys, IOptions<OidcOptions> oidc)
    {
        settings = options.Value;
        this.keys = keys;
        this.oidc = oidc;
        requests = PartitionedRateLimiter.Create<string, string>(address => RateLimits.Fixed(address, settings.AddressPerMinute));
        failures = PartitionedRateLimiter.Create<string, string>(address => RateLimits.Fixed(address, settings.FailedLookupsPerMinute));
    }

    private enum Lookup
    {
        None,
        Credential,
        Feed,
        Reply,
    }

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (!settings.Enabled)
        {
            await next(http);
            return;
        }

        var address = RateLimits.Address(http);
        using (var lease = requests.AttemptAcquire(address))
        {
            if (!lease.IsAcquired)
            {
                await RateLimits.RejectAsync(http, lease, "Too many requests from your address in the last minute.");
                return;
            }
        }

        var (lookup, token) = LookupOf(http.Request, oidc.Value.Enabled);
        if (lookup == Lookup.None)
        {
            await next(http);
            return;
        }

        // Permit count 0: is there any allowance left, without spending it (only failures spend it).
        using (var allowance = failures.AttemptAcquire(address, 0))
        {
            if (!allowance.IsAcquired && !(lookup == Lookup.Credential && KnownKey(http.Request)))
            {
                await RateLimits.RejectAsync(http, allowance, "Too many unknown keys, tokens or links from your address in the last minute.");
                return;
            }
        }

        var tokenHash = token is null ? null : RateLimits.Digest(token);
        if (tokenHash is not null && unknownTokens.TryGetValue(tokenHash, out var until) && Environment.TickCount64 < until)
        {
            Failed(address);
            await NotFound(lookup).ExecuteAsync(http);
            return;
        }

        await next(http);

        var status = http.Response.StatusCode;
        if (lookup == Lookup.Credential ? status == StatusCodes.Status401Unauthorized : status == StatusCodes.Status404NotFound)
        {
            Failed(address);
            if (tokenHash is not null && settings.FailedLookupMemorySeconds > 0)
            {
                if (unknownTokens.Count >= MaxRemembered)
                {
                    unknownTokens.Clear();
                }

                unknownTokens[tokenHash] = Environment.TickCount64 + (settings.FailedLookupMemorySeconds * 1000L);
            }
        }
    }

    public void Dispose()
    {
        requests.Dispose();
        failures.Dispose();
    }

    private void Failed(string address)
    {
        using var _ = failures.AttemptAcquire(address);
    }

    /// <summary>A key this process knows without asking PostgreSQL: its holder is not refused for someone else's guessing.</summary>
    private bool KnownKey(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && keys.IsKnownWithoutDatabase(header["Bearer ".Length..]);
    }

    private static IResult NotFound(Lookup lookup) => Problems.NotFound(lookup == Lookup.Feed ? "feed" : "reply link");

    private static (Lookup Lookup, string? Token) LookupOf(HttpRequest request, bool oidcEnabled)
    {
        var path = request.Path;
        if (path.StartsWithSegments("/feeds", out var feed) && Segment(feed) is { } file && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            return (Lookup.Feed, file);
        }

        if (path.StartsWithSegments("/reply", out var reply) && Segment(reply) is { } token)
        {
            return (Lookup.Reply, token);
        }

        // A JWT is checked against the identity provider's keys in memory, not looked up in PostgreSQL.
        var authorization = request.Headers.Authorization;
        if ((authorization.Count > 0 && !(oidcEnabled && PlannerAuthentication.LooksLikeJwt(authorization)))
            || (path.StartsWithSegments("/sign-in") && HttpMethods.IsPost(request.Method)))
        {
            return (Lookup.Credential, null);
        }

        return (Lookup.None, null);
    }

    private static string? Segment(PathString rest) =>
        rest.Value is { Length: > 1 } value && value.IndexOf('/', 1) < 0 ? value[1..] : null;
}

/// <summary>Settings under <c>Planner:ForwardedHeaders</c>: the proxies whose X-Forwarded-For and X-Forwarded-Proto are believed.</summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "Planner:ForwardedHeaders";

    /// <summary>Addresses of the proxies in front of the planner (e.g. <c>10.0.0.5</c>). Empty, with no networks: forwarded headers are ignored.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of the proxies, in CIDR notation (e.g. <c>10.0.0.0/24</c>).</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>How many proxies' entries of X-Forwarded-For to walk back through (each must be known).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    public bool Enabled => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}

/// <summary>Every proxy an IP address and every network in CIDR notation, each bad entry named.</summary>
internal sealed class ForwardedHeadersSettingsValidator : IValidateOptions<ForwardedHeadersSettings>
{
    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.KnownProxies.Length; i++)
        {
            if (!System.Net.IPAddress.TryParse(options.KnownProxies[i]?.Trim(), out _))
            {
                failures.Add($"Planner:ForwardedHeaders:KnownProxies:{i} is '{options.KnownProxies[i]}', which is not an IP address such as 10.0.0.5.");
            }
        }

        for (var i = 0; i < options.KnownNetworks.Length; i++)
        {
            if (!System.Net.IPNetwork.TryParse(options.KnownNetworks[i]?.Trim(), out _))
            {
                failures.Add($"Planner:ForwardedHeaders:KnownNetworks:{i} is '{options.KnownNetworks[i]}', which is not a network in CIDR notation such as 10.0.0.0/24.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal static class ClientAddressLimitsExtensions
{
    public static IServiceCollection AddClientAddressLimits(this IServiceCollection services)
    {
        services.AddSingleton<ClientAddressLimits>();
        services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ForwardedHeadersSettingsValidator>();
        return services;
    }

    /// <summary>
    /// First in the pipeline: with known proxies configured, the client address (audit, rate limits) and scheme (HSTS, links)
    /// come from their X-Forwarded-For and X-Forwarded-Proto; from any other sender those headers are ignored.
    /// </summary>
    public static IApplicationBuilder UsePlannerForwardedHeaders(this IApplicationBuilder app)
    {
        var settings = app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value;
        if (!settings.Enabled)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
            ForwardLimit = settings.ForwardLimit,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        // Validated already (ForwardedHeadersSettingsValidator): a bad entry stopped the start with its name.
        foreach (var proxy in settings.KnownProxies)
        {
            options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy.Trim()));
        }

        foreach (var network in settings.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network.Trim()));
        }

        return app.UseForwardedHeaders(options);
    }

    /// <summary>Before authentication: per-address limits and remembered failed look-ups (<see cref="ClientAddressLimits"/>).</summary>
    public static IApplicationBuilder UseClientAddressLimits(this IApplicationBuilder app)
    {
        var limits = app.ApplicationServices.GetRequiredService<ClientAddressLimits>();
        return app.Use((http, next) => limits.InvokeAsync(http, next));
    }
}
