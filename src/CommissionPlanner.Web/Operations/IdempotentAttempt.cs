namespace CommissionPlanner.Web.Operations;

/// <summary>
/// This request's attempt under an Idempotency-Key (<see cref="IdempotencyMiddleware"/>): the claim its change applies
/// (carried to grains and to every audit entry by the change actor), or, when the change was applied by an attempt that
/// lost its server before answering, the entity it applied to, so that the commands answer from what was applied instead
/// of making the change again.
/// </summary>
public sealed class IdempotentAttempt
{
    private static readonly AsyncLocal<IdempotentAttempt?> CurrentAttempt = new();

    private IdempotentAttempt(Guid claim, Guid? appliedEntityId)
    {
        Claim = claim;
        AppliedEntityId = appliedEntityId;
    }

    public Guid Claim { get; }

    /// <summary>Set when rebuilding a lost answer: the entity the applied change named first.</summary>
    public Guid? AppliedEntityId { get; }

    /// <summary>The attempt of the request being handled in this flow, if it was sent with a key.</summary>
    public static IdempotentAttempt? Current => CurrentAttempt.Value;

    /// <summary>
    /// When this request's change was already applied (its answer was lost), the entity it applied to: commands answer
    /// as if they had just made the change. Null otherwise, and then the command makes it.
    /// </summary>
    public static Guid? AlreadyApplied => CurrentAttempt.Value?.AppliedEntityId;

    internal static IdempotentAttempt Start(Guid claim) => CurrentAttempt.Value = new(claim, null);

    /// <summary>
    /// Rebuilding the answer of a change already applied. Its claim is one no stored request holds, so a write attempted
    /// meanwhile (by an endpoint that cannot rebuild its answer) fails in PostgreSQL with CP002 instead of applying twice.
    /// </summary>
    internal static IdempotentAttempt Recover(Guid appliedEntityId) => CurrentAttempt.Value = new(Guid.CreateVersion7(), appliedEntityId);

    internal static void End() => CurrentAttempt.Value = null;
}
