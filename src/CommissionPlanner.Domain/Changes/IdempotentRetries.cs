namespace CommissionPlanner.Domain.Changes;

/// <summary>
/// What a request sent again with an Idempotency-Key gets, given what is stored for the key. (With nothing stored, or only
/// an expired entry, there is nothing to decide: the request claims the key and runs.)
/// </summary>
public enum RetryDecision
{
    /// <summary>The first request was answered: send that answer again, do nothing.</summary>
    Replay,

    /// <summary>The key was used for another request (method, path or body differ): 422.</summary>
    Mismatch,

    /// <summary>The first request is still being handled by a live server: 409, try again shortly.</summary>
    InProgress,

    /// <summary>The first request's server is gone and nothing was applied: take its claim and do the request.</summary>
    TakeOver,

    /// <summary>The first request's change was applied but its server is gone before answering: answer from what was applied.</summary>
    Recover,
}

/// <summary>
/// The rules of idempotent retries (docs/idempotency.md): which keys are accepted, what a repeat gets, and which answers
/// are kept for repeats. A change made under a key applies the key's claim in its own transaction, so "applied" is what
/// PostgreSQL committed, never a guess.
/// </summary>
public static class IdempotentRetries
{
    /// <summary>The contract's limit on a key's length.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>How long a key is remembered.</summary>
    public static readonly Duration Kept = Duration.FromHours(24);

    /// <summary>Why <paramref name="key"/> cannot be used, or null when it can: 1–200 visible ASCII characters.</summary>
    public static string? KeyProblem(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "The Idempotency-Key header is empty; send 1 to 200 visible ASCII characters, or no header.";
        }

        if (key.Length > MaxKeyLength)
        {
            return $"The Idempotency-Key header has {key.Length} characters; at most {MaxKeyLength} are allowed.";
        }

        foreach (var c in key)
        {
            if (c is < '!' or > '~')
            {
                return "The Idempotency-Key header may hold only visible ASCII characters (no spaces or control characters).";
            }
        }

        return null;
    }

    /// <summary>
    /// What a request gets when the key is already stored. <paramref name="holderGone"/>: the server that claimed the key
    /// has stopped, or has held the claim longer than any request may take.
    /// </summary>
    public static RetryDecision Decide(bool sameRequest, bool answered, bool applied, bool holderGone)
    {
        if (!sameRequest)
        {
            return RetryDecision.Mismatch;
        }

        if (answered)
        {
            return RetryDecision.Replay;
        }

        if (!holderGone)
        {
            return RetryDecision.InProgress;
        }

        return applied ? RetryDecision.Recover : RetryDecision.TakeOver;
    }

    /// <summary>
    /// Whether an answer is kept for repeats. Whatever follows a change that was applied is kept. A refusal that changed
    /// nothing is kept when sending the same request again would be refused the same way (bad input, not found); one
    /// that depends on the moment (a conflict, a rate limit, a server error) is not, so the client may retry with the key.
    /// </summary>
    public static bool KeepAnswer(int status, bool applied) =>
        applied || status switch
        {
            < 400 => true,
            408 or 409 or 423 or 425 or 429 => false,
            < 500 => true,
            _ => false,
        };
}
