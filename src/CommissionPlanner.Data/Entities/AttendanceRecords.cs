using NodaTime;

namespace CommissionPlanner.Data.Entities;

/// <summary>
/// What organisers record about a person's needs. Sensitive: only admin and organiser keys see it, and it
/// never appears in feeds, in other roles' lists, or in logs.
/// </summary>
public sealed class PersonLogisticsRecord
{
    public Guid PersonId { get; set; }
    public string? Dietary { get; set; }
    public string? Accessibility { get; set; }
    public string? InterpreterLanguage { get; set; }
    /// <summary>ISO 3166-1 alpha-2; the one field a host site's access list may show.</summary>
    public string? Nationality { get; set; }
    public string? SecurityClearance { get; set; }
    public int Version { get; set; }
    public Instant UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

/// <summary>A reply link for one person and one engagement: a secret URL that records a reply without a key.</summary>
public sealed class ReplyLinkRecord
{
    public Guid Id { get; set; }
    public Guid EngagementId { get; set; }
    public Guid PersonId { get; set; }
    public required byte[] TokenHash { get; set; }
    public Instant CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public Instant? RevokedAt { get; set; }
    public Instant? LastUsedAt { get; set; }
}

/// <summary>A person moved from an engagement's waiting list to its attendees, and why a place freed.</summary>
public sealed class PromotionRecord
{
    public long Id { get; set; }
    public Guid EngagementId { get; set; }
    public Guid PersonId { get; set; }
    public Instant PromotedAt { get; set; }
    public required string Reason { get; set; }
}
