using NodaTime;

namespace CommissionPlanner.Data.Entities;

/// <summary>
/// One change, as the audit trail keeps it: who (key or user), when, from where, what, and the state before
/// and after as JSON. Append-only: the database refuses UPDATE, DELETE and TRUNCATE on this table.
/// Secrets and sensitive logistics never appear here (logistics changes list the fields changed, not values).
/// </summary>
public sealed class AuditRecord
{
    public long Id { get; set; }
    public Instant At { get; set; }
    public required string Actor { get; set; }
    public Guid? KeyId { get; set; }
    public string? ClientAddress { get; set; }
    public required string EntityType { get; set; }
    public Guid EntityId { get; set; }
    public Guid? ProgrammeId { get; set; }
    public required string Action { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }

    /// <summary>
    /// The claim of the keyed request (Idempotency-Key) that made this change, if any. Inserting the entry applies the
    /// claim in the same transaction (a trigger: migration IdempotentRequests), so a retry can tell whether the change
    /// was made.
    /// </summary>
    public Guid? RequestClaim { get; set; }
}

/// <summary>Who is making a change, carried from the HTTP request to the code that writes it.</summary>
/// <remarks><paramref name="RequestClaim"/>: the claim of a request sent with an Idempotency-Key (<see cref="RequestClaims"/>).</remarks>
public sealed record ChangeActor(string Name, Guid? KeyId, string? ClientAddress, Guid? RequestClaim = null)
{
    public static ChangeActor System { get; } = new("system", null, null);
}
