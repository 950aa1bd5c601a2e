using NodaTime;

namespace CommissionPlanner.Data.Entities;

/// <summary>
/// A request sent with an Idempotency-Key (docs/idempotency.md): claimed by the server handling it, applied in the
/// transaction of the change it made (a trigger on <c>audit_entries</c> stamps <see cref="AppliedAt"/>), then answered.
/// Kept for a day, then swept.
/// </summary>
public sealed class IdempotentRequestRecord
{
    /// <summary>Whose key it is: keys are the client's own, so two callers may use the same one.</summary>
    public required string Scope { get; set; }
    public required string Key { get; set; }

    /// <summary>SHA-256 of the method, path, query and body: the same key with another request is refused (422).</summary>
    public required byte[] RequestHash { get; set; }

    /// <summary>This attempt's claim; a retry that takes the request over replaces it, so the old attempt can no longer apply.</summary>
    public Guid Claim { get; set; }

    /// <summary>The silo handling the attempt (Orleans' parsable silo address), to tell whether it is still alive.</summary>
    public required string ClaimedBy { get; set; }
    public Instant ClaimedAt { get; set; }

    public Instant? AppliedAt { get; set; }

    /// <summary>The transaction that applied it: a second transaction under the same claim is refused.</summary>
    public long? AppliedTransaction { get; set; }

    /// <summary>The entity the first audit entry of the change named: what a lost answer is rebuilt from.</summary>
    public Guid? AppliedEntityId { get; set; }

    public int? AnswerStatus { get; set; }
    public string? AnswerContentType { get; set; }
    public string? AnswerLocation { get; set; }
    public byte[]? AnswerBody { get; set; }

    /// <summary>The answer held a secret shown once (a feed URL, an API key): only its status and location are kept.</summary>
    public bool AnswerWithheld { get; set; }
}
