using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CommissionPlanner.Data;
using CommissionPlanner.Domain.Changes;
using CommissionPlanner.Web.Hosting;
using CommissionPlanner.Web.Security;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Orleans.Runtime;

namespace CommissionPlanner.Web.Operations;

/// <summary>Marks an endpoint whose answer holds a secret shown once: a repeat is told what was made, never the secret.</summary>
public sealed class OneTimeSecretAnswer
{
    public static readonly OneTimeSecretAnswer Instance = new();
}

/// <summary>
/// Idempotent retries (docs/idempotency.md): a POST under /api sent with an <c>Idempotency-Key</c> claims the key in
/// PostgreSQL before it runs, its change applies the claim in the change's own transaction, and its answer is kept for a
/// day. A repeat with the same key and request gets that answer again without doing anything; with another request, 422.
/// When the server handling it dies, a retry learns from PostgreSQL whether the change was applied: if not, it takes the
/// claim over and does the request; if so, it answers from what was applied. When a grain call fails because its silo
/// died, the request is done once more on the grain's new activation, after fencing the first attempt off.
/// </summary>
public sealed class IdempotencyMiddleware(
    RequestDelegate next,
    NpgsqlDataSource dataSource,
    ILocalSiloDetails localSilo,
    IClusterMembershipService membership,
    IClock clock,
    IOptions<OperationsOptions> options,
    ILogger<IdempotencyMiddleware> logger)
{
    public const string Header = "Idempotency-Key";

    /// <summary>On an answer sent again for a repeat: "true".</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>
    /// How much of a keyed request's body is buffered in memory (beyond it, in a temporary file) so that it can be hashed and
    /// read again when the endpoint runs once more; its size is bounded like every body's (Kestrel's limit).
    /// </summary>
    private const int InMemoryBodyBuffer = 1 << 20;

    /// <summary>Claims this process is handling now: a claim held by this silo but not here was left by a failure.</summary>
    private readonly ConcurrentDictionary<Guid, byte> inFlight = new();

    public async Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!HttpMethods.IsPost(http.Request.Method) || !http.Request.Path.StartsWithSegments("/api")
            || !http.Request.Headers.TryGetValue(Header, out var values) || http.User.Identity?.IsAuthenticated != true)
        {
            await next(http);
            return;
        }

        var key = values.Count == 1 ? values[0] : null;
        if ((values.Count == 1 ? IdempotentRetries.KeyProblem(key) : "Send one Idempotency-Key header, not several.") is { } problem)
        {
            await TypedResults.ValidationProblem(new Dictionary<string, string[]> { [Header] = [problem] },
                detail: problem, title: "The request is invalid.").ExecuteAsync(http);
            return;
        }

        var hash = await HashAsync(http);
        var scope = http.User.KeyId() is { } keyId ? $"key:{keyId}" : $"user:{http.User.Actor()}";
        var claimedBy = localSilo.SiloAddress.ToParsableString();
        var secret = http.GetEndpoint()?.Metadata.GetMetadata<OneTimeSecretAnswer>() is not null;
        var kept = IdempotentRetries.Kept;
        var ct = http.RequestAborted;

        for (var look = 0; look < 3; look++)
        {
            var claim = Guid.CreateVersion7();
            // In flight from the moment the row can exist: a repeat arriving here meanwhile must see it held, not gone.
            inFlight[claim] = 0;
            StoredRequest? stored;
            try
            {
                stored = await RequestClaims.ClaimAsync(dataSource, scope, key!, hash, claim, claimedBy, kept, ct);
            }
            catch
            {
                inFlight.TryRemove(claim, out _);
                throw;
            }

            if (stored is null)
            {
                await RunAsync(http, claim, secret);
                return;
            }

            inFlight.TryRemove(claim, out _);

            var decision = IdempotentRetries.Decide(
                CryptographicOperations.FixedTimeEquals(stored.RequestHash, hash), stored.Answer is not null, stored.Applied, HolderGone(stored));
            switch (decision)
            {
                case RetryDecision.Mismatch:
                    await TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The Idempotency-Key was used for another request.",
                        detail: "This key was sent before with another method, path or body. Use a new key for a new request.").ExecuteAsync(http);
                    return;
                case RetryDecision.Replay:
                    await ReplayAsync(http, stored);
                    return;
                case RetryDecision.InProgress:
                    await InProgressAsync(http);
                    return;
                case RetryDecision.TakeOver:
                    inFlight[claim] = 0;
                    if (await RequestClaims.TakeOverAsync(dataSource, stored.Claim, claim, claimedBy, ct))
                    {
                        logger.LogInformation("Request {Scope} {Key} taken over from {Silo}, which is gone; nothing had been applied.", scope, key, stored.ClaimedBy);
                        await RunAsync(http, claim, secret);
                        return;
                    }

                    inFlight.TryRemove(claim, out _);
                    continue;
                case RetryDecision.Recover:
                    await RecoverAsync(http, stored.Claim, stored.AppliedEntityId!.Value, stored.AppliedAt, secret);
                    return;
            }
        }

        throw new InvalidOperationException("The Idempotency-Key's entry changed three times while it was read; try again.");
    }

    private static Task InProgressAsync(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The first request with this Idempotency-Key is still being handled.",
            detail: "Wait a moment and send it again with the same key; you will get its answer.").ExecuteAsync(http);
    }

    /// <summary>Does the request under <paramref name="claim"/> (already marked in flight) and keeps its answer.</summary>
    private async Task RunAsync(HttpContext http, Guid claim, bool secret)
    {
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                IdempotentAttempt.Start(claim);
                var answer = await TryNextAsync(http);
                // What PostgreSQL committed under the claim, not what the handler thinks it did.
                var stored = await RequestClaims.ReadAsync(dataSource, claim, CancellationToken.None);
                if (stored is null)
                {
                    // Taken over by a retry that judged this attempt gone: that retry's answer is the one kept, and this
                    // attempt could not apply. A repeat of this request gets it.
                    ResetResponse(http);
                    await InProgressAsync(http);
                    return;
                }

                if (stored.Applied && answer.Failed)
                {
                    // Applied, but the answer was lost on the way back (the grain's silo died after its commit).
                    await RecoverAsync(http, claim, stored.AppliedEntityId!.Value, stored.AppliedAt, secret);
                    return;
                }

                if (!stored.Applied && answer.Failed && attempt == 1 && answer.ClusterFault)
                {
                    // Nothing applied, and the grain's silo is gone: once more, on its new activation. A fresh claim fences the
                    // first attempt off: should its transaction still commit, it fails for want of the claim.
                    var fence = Guid.CreateVersion7();
                    inFlight[fence] = 0;
                    if (await RequestClaims.TakeOverAsync(dataSource, claim, fence, localSilo.SiloAddress.ToParsableString(), CancellationToken.None))
                    {
                        logger.LogInformation("A grain call failed because its silo is gone; nothing was applied, so the request is sent once more.");
                        inFlight.TryRemove(claim, out _);
                        claim = fence;
                        ResetResponse(http);
                        continue;
                    }

                    inFlight.TryRemove(fence, out _);

                    // It was applied meanwhile after all.
                    var applied = await RequestClaims.ReadAsync(dataSource, claim, CancellationToken.None);
                    await RecoverAsync(http, claim, applied!.AppliedEntityId!.Value, applied.AppliedAt, secret);
                    return;
                }

                if (IdempotentRetries.KeepAnswer(answer.Status, stored.Applied))
                {
                    await RequestClaims.AnswerAsync(dataSource, claim, answer.ToStored(secret), CancellationToken.None);
                }
                else if (!await RequestClaims.ReleaseAsync(dataSource, claim, CancellationToken.None))
                {
                    // A change under the claim committed while the key was being given up (a slow grain call that timed out).
                    var applied = await RequestClaims.ReadAsync(dataSource, claim, CancellationToken.None);
                    if (applied is { Applied: true })
                    {
                        await RecoverAsync(http, claim, applied.AppliedEntityId!.Value, applied.AppliedAt, secret);
                        return;
                    }
                }

                await SendAsync(http, answer);
                return;
            }
        }
        finally
        {
            inFlight.TryRemove(claim, out _);
            IdempotentAttempt.End();
        }
    }

    /// <summary>
    /// Answers a request whose change was applied but whose answer was lost: the endpoint runs again with the commands
    /// answering from what was applied. Endpoints that cannot (their write would run again, and fails for want of a
    /// claim) and those whose answer held a secret answer 409 naming what was applied.
    /// </summary>
    private async Task RecoverAsync(HttpContext http, Guid claim, Guid appliedEntityId, Instant? appliedAt, bool secret)
    {
        ResetResponse(http);
        Answer answer;
        if (secret)
        {
            answer = await AnswerLostAsync(http, appliedEntityId, appliedAt, secret: true);
        }
        else
        {
            IdempotentAttempt.Recover(appliedEntityId);
            try
            {
                answer = await TryNextAsync(http);
            }
            finally
            {
                IdempotentAttempt.End();
            }

            if (answer.Failed || answer.Status >= 400)
            {
                ResetResponse(http);
                answer = await AnswerLostAsync(http, appliedEntityId, appliedAt, secret: false);
            }
        }

        logger.LogInformation("A request's change was applied but its answer was lost; answered {Status} from what was applied.", answer.Status);
        await RequestClaims.AnswerAsync(dataSource, claim, answer.ToStored(secret), CancellationToken.None);
        await SendAsync(http, answer);
    }

    private static async Task<Answer> AnswerLostAsync(HttpContext http, Guid entityId, Instant? appliedAt, bool secret)
    {
        var when = appliedAt is { } at ? $" at {Domain.Planning.WireTime.FormatInstant(at)}" : "";
        var result = TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "This request was applied already.",
            detail: secret
                ? $"The request with this Idempotency-Key was applied{when}. Its answer held a secret that is shown once only: if you did not receive it, revoke what was made and make another."
                : $"The request with this Idempotency-Key was applied{when}, but its answer was lost when a server stopped. Read the resource to see the result.",
            extensions: new Dictionary<string, object?> { ["applied"] = true, ["entityId"] = entityId });
        var body = new MemoryStream();
        var original = http.Response.Body;
        http.Response.Body = body;
        try
        {
            await result.ExecuteAsync(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        return Answer.Of(http, body, exception: null);
    }

    /// <summary>Runs the endpoint into a buffer, so the answer can be kept, or thrown away when the request is done again.</summary>
    private async Task<Answer> TryNextAsync(HttpContext http)
    {
        http.Request.Body.Position = 0;
        var original = http.Response.Body;
        var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
            return Answer.Of(http, buffer, exception: null);
        }
        catch (Exception exception) when (!http.RequestAborted.IsCancellationRequested)
        {
            return Answer.Of(http, buffer, exception);
        }
        finally
        {
            http.Response.Body = original;
        }
    }

    private static void ResetResponse(HttpContext http)
    {
        http.Response.Clear();
        http.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static async Task SendAsync(HttpContext http, Answer answer)
    {
        if (answer.Exception is { } exception)
        {
            // Nothing applied: the exception handler answers it (503 for a cluster or database fault), and a retry with
            // the same key does the request afresh.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception);
        }

        http.Response.ContentLength = answer.Body.Length;
        await http.Response.Body.WriteAsync(answer.Body, http.RequestAborted);
    }

    private static async Task ReplayAsync(HttpContext http, StoredRequest request)
    {
        var stored = request.Answer!;
        if (stored.Withheld)
        {
            await SendAsync(http, await AnswerLostAsync(http, request.AppliedEntityId ?? Guid.Empty, request.AppliedAt, secret: true));
            return;
        }

        http.Response.StatusCode = stored.Status;
        http.Response.Headers[ReplayedHeader] = "true";
        if (stored.ContentType is { } contentType)
        {
            http.Response.ContentType = contentType;
        }

        if (stored.Location is { } location)
        {
            http.Response.Headers.Location = location;
        }

        var body = stored.Body ?? [];
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    /// <summary>Whether the attempt holding the claim can no longer apply it or answer: its silo is dead, or it took too long.</summary>
    private bool HolderGone(StoredRequest stored)
    {
        if (clock.GetCurrentInstant() - stored.ClaimedAt > Duration.FromSeconds(options.Value.IdempotencyLeaseSeconds))
        {
            return true;
        }

        var holder = SiloAddress.FromParsableString(stored.ClaimedBy);
        if (holder.Equals(localSilo.SiloAddress))
        {
            return !inFlight.ContainsKey(stored.Claim);
        }

        return membership.CurrentSnapshot.GetSiloStatus(holder) is SiloStatus.Dead or SiloStatus.None;
    }

    /// <summary>SHA-256 of the method, path, query and body: what "the same request" means for a key.</summary>
    public static async Task<byte[]> RequestHashAsync(string method, string path, string query, Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{method} {path}{query}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            sha.AppendData(chunk, 0, read);
        }

        return sha.GetHashAndReset();
    }

    /// <summary>The request's hash, leaving the body readable again (and again, when the request is done once more).</summary>
    private static async Task<byte[]> HashAsync(HttpContext http)
    {
        http.Request.EnableBuffering(InMemoryBodyBuffer);
        var hash = await RequestHashAsync(http.Request.Method, http.Request.Path, http.Request.QueryString.Value ?? "", http.Request.Body, http.RequestAborted);
        http.Request.Body.Position = 0;
        return hash;
    }

    /// <summary>What the endpoint answered, buffered; or the exception it threw.</summary>
    private sealed record Answer(int Status, string? ContentType, string? Location, byte[] Body, Exception? Exception)
    {
        public bool Failed => Exception is not null || Status >= 500;

        /// <summary>The grain's silo died during the call (or refused it while stopping).</summary>
        public bool ClusterFault => Exception is { } e && ClusterFaults.IsClusterUnavailable(e);

        public static Answer Of(HttpContext http, MemoryStream body, Exception? exception) => new(
            exception is null ? http.Response.StatusCode : StatusCodes.Status500InternalServerError,
            http.Response.ContentType,
            http.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
            body.ToArray(),
            exception);

        /// <summary>What is kept: all of it, except a success's body when it held a secret shown once.</summary>
        public StoredAnswer ToStored(bool secret)
        {
            var withheld = secret && Status < 400;
            return new(Status, withheld ? null : ContentType, Location, withheld ? null : Body, withheld);
        }
    }
}
