using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;
using CommissionPlanner.Web.Feeds;
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

    /// <summary>
    /// While calendar polls are being answered, the most of the silo's time changes may take: they then go one at a time,
    /// each followed by a rest in proportion to how long it took (<see cref="ChangeTurns"/>), so that a burst of changes to
    /// one programme leaves the polls of every programme a core. 1 turns the turns off: changes then run
    /// <see cref="Concurrency"/> at once beside polls as well.
    /// </summary>
    [Range(0.05, 1.0)]
    public double ShareBesidePolls { get; set; } = 0.25;

    public int EffectiveConcurrency => Concurrency > 0 ? Concurrency : 2 * Environment.ProcessorCount;
}

/// <summary>
/// Admission of changes: at most <see cref="WriteAdmissionOptions.EffectiveConcurrency"/> at once, the rest waiting in
/// arrival order. Sixteen writers on two cores otherwise run sixteen PostgreSQL backends and sixteen grain turns at once:
/// the writes finish in whatever order the scheduler picks (a long tail, the longest whenever a checkpoint or an autovacuum
/// takes a core too) and leave the feed polls beside them no core to run on. Reads are never queued here: a poll or a page
/// does not wait behind a burst of changes. While polls are being answered (one in the last <see cref="PollWindow"/>),
/// the changes admitted also take turns (<see cref="ChangeTurns"/>, <see cref="WriteAdmissionOptions.ShareBesidePolls"/>).
/// </summary>
internal sealed class WriteAdmission : IDisposable
{
    /// <summary>Polls answered this recently count as being answered: a calendar client's poll and the next are apart, and a
    /// burst that paused for every gap between them would not pause at all.</summary>
    internal static readonly TimeSpan PollWindow = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest a change holds the turn (<see cref="TakeTurnAsync"/>).</summary>
    private static readonly TimeSpan LongestTurn = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrencyLimiter limiter;
    private readonly TimeSpan queueTime;
    private readonly CalendarPolls polls;
    private readonly ChangeTurns? turns;
    private readonly SemaphoreSlim oneAtATime = new(1, 1);

    public WriteAdmission(IOptions<WriteAdmissionOptions> options, CalendarPolls polls)
    {
        var settings = options.Value;
        this.polls = polls;
        turns = settings.ShareBesidePolls < 1
            ? new ChangeTurns(settings.ShareBesidePolls)
            : null;
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
            await RefuseLateAsync(http);
            return;
        }

        using (lease)
        {
            if (!lease.IsAcquired)
            {
                await RefuseAsync(http, "Too many changes are waiting to be applied.");
                return;
            }

            if (turns is null || !polls.AnsweredWithin(PollWindow))
            {
                await next(http);
                return;
            }

            await TakeTurnAsync(http, next, waited.Token);
        }
    }

    /// <summary>
    /// One change at a time, after the last one's rest; waiting for the turn counts against the same queue time. A change
    /// still running after <see cref="LongestTurn"/> (an import) gives the turn up and goes on beside the next: the changes
    /// behind it do not wait seconds for it, and the rest after it is at most that of a turn that long.
    /// </summary>
    private async Task TakeTurnAsync(HttpContext http, RequestDelegate next, CancellationToken waited)
    {
        try
        {
            await oneAtATime.WaitAsync(waited);
            var rest = turns!.WaitFrom(Stopwatch.GetTimestamp());
            if (rest > 0)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)rest / Stopwatch.Frequency), waited);
                }
                catch
                {
                    oneAtATime.Release();
                    throw;
                }
            }
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            await RefuseLateAsync(http);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        Task change;
        try
        {
            change = next(http);
        }
        catch
        {
            GiveUpTurn(started);
            throw;
        }

        if (!change.IsCompleted)
        {
            using var turnOver = new CancellationTokenSource();
            await Task.WhenAny(change, Task.Delay(LongestTurn, turnOver.Token));
            turnOver.Cancel();
        }

        GiveUpTurn(started);
        await change;
    }

    private void GiveUpTurn(long started)
    {
        turns!.Held(started, Stopwatch.GetTimestamp());
        oneAtATime.Release();
    }

    /// <summary>A change that waited <see cref="WriteAdmissionOptions.QueueSeconds"/>, for a permit or for its turn.</summary>
    private Task RefuseLateAsync(HttpContext http) =>
        RefuseAsync(http, $"Changes waited {queueTime.TotalSeconds:0} seconds for their turn.");

    /// <summary>503 with Retry-After: nothing was applied, so sending the change again is safe.</summary>
    private static Task RefuseAsync(HttpContext http, string why)
    {
        http.Response.Headers.RetryAfter = "1";
        return ApiProblems.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "The planner is busy.",
            string.Create(CultureInfo.InvariantCulture, $"{why} Nothing was changed; send the request again in a second."));
    }

    public void Dispose()
    {
        limiter.Dispose();
        oneAtATime.Dispose();
    }
}

internal static class WriteAdmissionExtensions
{
    public static IServiceCollection AddWriteAdmission(this IServiceCollection services)
    {
        services.AddOptions<WriteAdmissionOptions>().BindConfiguration(WriteAdmissionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CalendarPolls>();
        services.AddSingleton<WriteAdmission>();
        return services;
    }

    public static IApplicationBuilder UseWriteAdmission(this IApplicationBuilder app)
    {
        var admission = app.ApplicationServices.GetRequiredService<WriteAdmission>();
        return app.Use((http, next) => admission.InvokeAsync(http, next));
    }
}
