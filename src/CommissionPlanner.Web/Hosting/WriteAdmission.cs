using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using CommissionPlanner.Web.Security;
using Microsoft.Extensions.Options;

namespace CommissionPlanner.Web.Hosting;

/// <summary>Settings under <c>Planner:Writes</c>: how many changes a silo works on at once, and how many may wait.</summary>
public sealed class WriteAdmissionOptions
{
    public const string Section = "Planner:Writes";

    /// <summary>
    /// Changes (POST, PUT, PATCH, DELETE) in flight at once in this silo; 0 means twice the processor count. Each change is
    /// CPU in the silo and in a PostgreSQL backend; more of them at once than the cores can run only makes them queue in the
    /// scheduler instead, in no order, and take every core from the reads beside them (docs/performance.md, "Writes are
    /// admitted").
    /// </summary>
    [Range(0, 10_000)]
    public int Concurrency { get; set; }

    /// <summary>Changes that may wait, oldest first, for one in flight to finish; past it a change is answered 503 at once.</summary>
    [Range(0, 1_000_000)]
    public int QueueLimit { get; set; } = 10_000;

    /// <summary>How long a change may wait before it is answered 503 (Retry-After) instead of being applied late.</summary>
    [Range(1, 600)]
    public int QueueSeconds { get; set; } = 30;

    public int EffectiveConcurrency => Concurrency > 0 ? Concurrency : 2 * Environment.ProcessorCount;
}

/// <summary>
/// Admission of changes: at most <see cref="WriteAdmissionOptions.EffectiveConcurrency"/> at once, the rest waiting in
/// arrival order. Sixteen writers on two cores otherwise run sixteen PostgreSQL backends and sixteen grain turns at once:
/// the writes finish in whatever order the scheduler picks (a long tail, the longest whenever a checkpoint or an autovacuum
/// takes a core too) and leave the feed polls beside them no core to run on. Reads are never queued here: a poll or a page
/// does not wait behind a burst of changes.
/// </summary>
internal sealed class WriteAdmission : IDisposable
{
    private readonly ConcurrencyLimiter limiter;
    private readonly TimeSpan queueTime;

    public WriteAdmission(IOptions<WriteAdmissionOptions> options)
    {
        var settings = options.Value;
        queueTime = TimeSpan.FromSeconds(settings.QueueSeconds);
        limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = settings.EffectiveConcurrency,
            QueueLimit = settings.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Changes; safe methods (GET, HEAD, OPTIONS, TRACE) change nothing and are never queued.</summary>
    public static bool IsChange(HttpRequest request) =>
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method));

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (!IsChange(http.Request))
        {
            await next(http);
            return;
        }

        using var waited = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        waited.CancelAfter(queueTime);
        RateLimitLease lease;
        try
        {
            lease = await limiter.AcquireAsync(1, waited.Token);
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            await RefuseAsync(http, $"Changes waited {queueTime.TotalSeconds:0} seconds for their turn.");
            return;
        }

        using (lease)
        {
            if (!lease.IsAcquired)
            {
                await RefuseAsync(http, "Too many changes are waiting to be applied.");
                return;
            }

            await next(http);
        }
    }

    /// <summary>503 with Retry-After: nothing was applied, so sending the change again is safe.</summary>
    private static Task RefuseAsync(HttpContext http, string why)
    {
        http.Response.Headers.RetryAfter = "1";
        return ApiProblems.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "The planner is busy.",
            string.Create(CultureInfo.InvariantCulture, $"{why} Nothing was changed; send the request again in a second."));
    }

    public void Dispose() => limiter.Dispose();
}

internal static class WriteAdmissionExtensions
{
    public static IServiceCollection AddWriteAdmission(this IServiceCollection services)
    {
        services.AddOptions<WriteAdmissionOptions>().BindConfiguration(WriteAdmissionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WriteAdmission>();
        return services;
    }

    public static IApplicationBuilder UseWriteAdmission(this IApplicationBuilder app)
    {
        var admission = app.ApplicationServices.GetRequiredService<WriteAdmission>();
        return app.Use((http, next) => admission.InvokeAsync(http, next));
    }
}
