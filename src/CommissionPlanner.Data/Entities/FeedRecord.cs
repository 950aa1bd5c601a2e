using NodaTime;

namespace CommissionPlanner.Data.Entities;

/// <summary>
/// A calendar feed: a secret URL serving an iCalendar view of a person, delegation, programme or engagement.
/// Only a SHA-256 hash of the token is stored; the URL is shown once, when the feed is made.
/// </summary>
public sealed class FeedRecord
{
    public Guid Id { get; set; }
    /// <summary>person, delegation, programme or engagement.</summary>
    public required string Scope { get; set; }
    public Guid SubjectId { get; set; }
    public Guid ProgrammeId { get; set; }
    /// <summary>full (default) or busy (times, "Busy" and the city only).</summary>
    public required string Detail { get; set; }
    /// <summary>en (default), zh or both: the language of titles and descriptions (FeedLanguage).</summary>
    public string Language { get; set; } = "en";
    public required byte[] TokenHash { get; set; }
    public Instant CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public Instant? RevokedAt { get; set; }

    // Subscriber awareness: organisers see whose calendar has not fetched since the last change.
    public Instant? LastFetchedAt { get; set; }
    public string? LastUserAgent { get; set; }
    public long FetchCount { get; set; }

    /// <summary>The ETag last served and when the content last changed, so Last-Modified never moves backwards.</summary>
    public string? ContentTag { get; set; }
    public Instant? ContentChangedAt { get; set; }
}
