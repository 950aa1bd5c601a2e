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

        if (request.Path.StartsWithSegments("/feeds", out var feed) && SingleSegment(feed) is { } file)
        {
            return Fixed($"feed:{Digest(file)}", settings.FeedPerMinute);
        }

        if (request.Path.StartsWithSegments("/reply", out var reply) && SingleSegment(reply) is { } token)
        {
            return Fixed($"reply:{Digest(token)}", settings.ReplyPerMinute);
        }

        // Health checks and the OpenAPI document.
        return RateLimitPartition.GetNoLimiter(string.Empty);
    }

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

        return $"address:{context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";
    }

    private static string? SingleSegment(PathString rest) =>
        rest.Value is { Length: > 1 } value && value.IndexOf('/', 1) < 0 ? value[1..] : null;

    private static string Digest(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), 0, 16);

    private static RateLimitPartition<string> Fixed(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private static async ValueTask Reject(OnRejectedContext rejected)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var what = context.Request.Path.StartsWithSegments("/api") ? "this key" : "this link";
        await ApiProblems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests.",
            $"Too many requests for {what} in the last minute. Try again in {seconds} seconds.");
    }
}
