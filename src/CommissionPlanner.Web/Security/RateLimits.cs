using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CommissionPlanner.Web.Security;

/// <summary>Settings under <c>Planner:RateLimits</c>: requests allowed per fixed one-minute window.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Planner:RateLimits";

    /// <summary>Off only for load tests on a private machine.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>/api</c> requests per API key or signed-in user (and per client address for requests without valid credentials).</summary>
    [Range(1, 1_000_000)]
    public int ApiPerMinute { get; set; } = 600;

    /// <summary><c>/feeds/{token}.ics</c> fetches per feed URL. Calendar clients poll every few minutes; this leaves room for many devices.</summary>
    [Range(1, 1_000_000)]
    public int FeedPerMinute { get; set; } = 120;

    /// <summary><c>/reply/{token}</c> requests (reads and answers) per reply link.</summary>
    [Range(1, 1_000_000)]
    public int ReplyPerMinute { get; set; } = 30;

    /// <summary>
    /// Every request from one client address, counted before authentication (<see cref="ClientAddressLimits"/>). Behind a
    /// proxy, configure <c>Planner:ForwardedHeaders</c>, or every caller shares the proxy's allowance.
    /// </summary>
    [Range(1, 10_000_000)]
    public int AddressPerMinute { get; set; } = 6000;

    /// <summary>
    /// Failed look-ups per client address: unknown or revoked API keys and bearer tokens (401), unknown feed and reply
    /// tokens (404), refused sign-ins. Past it, requests that would need a look-up are refused with 429 before one is made.
    /// </summary>
    [Range(1, 1_000_000)]
    public int FailedLookupsPerMinute { get; set; } = 100;

    /// <summary>How long an unknown feed or reply token is remembered (by its hash) and answered 404 without a database look-up.</summary>
    [Range(0, 3600)]
    public int FailedLookupMemorySeconds { get; set; } = 60;

    /// <summary><c>POST /sign-in</c> per client address.</summary>
    [Range(1, 1_000_000)]
    public int SignInPerMinute { get; set; } = 20;

    /// <summary>Web pages per signed-in key or user (per client address before sign-in).</summary>
    [Range(1, 1_000_000)]
    public int PagesPerMinute { get; set; } = 600;

    /// <summary><c>/health/live</c>, <c>/health/ready</c> and <c>/health/feeds</c> per client address (probes come every few seconds).</summary>
    [Range(1, 1_000_000)]
    public int HealthPerMinute { get; set; } = 600;
}

/// <summary>
/// Rate limiting with ASP.NET Core's limiter: per caller on <c>/api</c>, per token on the secret URLs. Token partitions are
/// keyed by a SHA-256 of the token, never the token itself, and nothing here logs either. Over the limit: 429 problem details
/// with <c>Retry-After</c> in seconds.
/// </summary>
internal static class RateLimits
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddPlannerRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(_ => { });
        // Per client address, before authentication (Program.cs): floods of unknown keys and tokens never reach PostgreSQL.
        services.AddClientAddressLimits();
        // Per feed URL, asked by the feed endpoint itself: polls are answered before this limiter's middleware runs.
        services.AddSingleton<FeedPollLimits>();
        // Read from configuration when the middleware is built, so hosts built by tests can supply limits late.
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
        {
            var settings = limits.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, settings));
            limiter.OnRejected = (rejected, _) => Reject(rejected);
        });
        return services;
    }

    internal static RateLimitPartition<string> Partition(HttpContext context, RateLimitOptions settings)
    {
        if (!settings.Enabled)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var request = context.Request;
        if (request.Path.StartsWithSegments("/api"))
        {
            return Fixed($"api:{Caller(context)}", settings.ApiPerMinute);
        }

        if (request.Path.StartsWithSegments("/feeds"))
        {
            // Limited per feed URL by FeedPollLimits, which the feed endpoint asks: it answers before this middleware.
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        if (request.Path.StartsWithSegments("/reply", out var reply) && SingleSegment(reply) is { } token)
        {
            return Fixed($"reply:{Digest(token)}", settings.ReplyPerMinute);
        }

        if (request.Path.StartsWithSegments("/health"))
        {
            return Fixed($"health:{Address(context)}", settings.HealthPerMinute);
        }

        if (request.Path.StartsWithSegments("/sign-in") && HttpMethods.IsPost(request.Method))
        {
            return Fixed($"sign-in:{Address(context)}", settings.SignInPerMinute);
        }

        if (request.Path.StartsWithSegments("/openapi") || request.Path.StartsWithSegments("/css"))
        {
            // The OpenAPI document and the stylesheet: public, static; the per-address limit before authentication covers them.
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        // The web pages.
        return Fixed($"pages:{Caller(context)}", settings.PagesPerMinute);
    }

    public static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>Who is calling: the API key's id, the signed-in user's subject (hashed), or else the client address.</summary>
    private static string Caller(HttpContext context)
    {
        var user = context.User;
        if (user.FindFirstValue(PlannerClaims.KeyId) is { Length: > 0 } keyId)
        {
            return $"key:{keyId}";
        }

        if (user.FindFirstValue(PlannerClaims.Subject) is { Length: > 0 } subject)
        {
            return $"user:{Digest(subject)}";
        }

        return $"address:{Address(context)}";
    }

    private static string? SingleSegment(PathString rest) =>
        rest.Value is { Length: > 1 } value && value.IndexOf('/', 1) < 0 ? value[1..] : null;

    internal static string Digest(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), 0, 16);

    internal static RateLimitPartition<string> Fixed(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private static ValueTask Reject(OnRejectedContext rejected) => RejectAsync(rejected.HttpContext, rejected.Lease, null);

    /// <summary>429 problem details with Retry-After: the seconds until the lease's window ends.</summary>
    internal static async ValueTask RejectAsync(HttpContext context, RateLimitLease lease, string? detail)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var path = context.Request.Path;
        var what = path.StartsWithSegments("/api") || path.StartsWithSegments("/sign-in") ? "this key"
            : path.StartsWithSegments("/feeds") || path.StartsWithSegments("/reply") ? "this link" : "this caller";
        await ApiProblems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests.",
            (detail ?? $"Too many requests for {what} in the last minute.") + $" Try again in {seconds} seconds.");
    }
}

/// <summary>
/// <c>/feeds/{token}.ics</c> polls per feed URL (<see cref="RateLimitOptions.FeedPerMinute"/>). Calendar polls are the
/// busiest route by far and carry no credentials, so routing answers them before authentication and the rate limiter's
/// middleware (Program.cs, docs/performance.md); the feed endpoint asks this limiter first instead. Partitions are keyed by
/// a digest of the token, as every token partition is.
/// </summary>
internal sealed class FeedPollLimits : IDisposable
{
    private readonly bool enabled;
    private readonly PartitionedRateLimiter<string> polls;

    public FeedPollLimits(IOptions<RateLimitOptions> options)
    {
        var settings = options.Value;
        enabled = settings.Enabled;
        polls = PartitionedRateLimiter.Create<string, string>(digest => RateLimits.Fixed($"feed:{digest}", settings.FeedPerMinute));
    }

    /// <summary>True when the poll may go on; otherwise the 429 (with Retry-After) is already written.</summary>
    public async ValueTask<bool> AdmitAsync(HttpContext http, string file)
    {
        if (!enabled)
        {
            return true;
        }

        using var lease = polls.AttemptAcquire(RateLimits.Digest(file));
        if (lease.IsAcquired)
        {
            return true;
        }

        await RateLimits.RejectAsync(http, lease, null);
        return false;
    }

    public void Dispose() => polls.Dispose();
}
