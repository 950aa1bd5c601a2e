using NodaTime;

namespace CommissionPlanner.Calendar;

/// <summary>How much a feed shows: everything, or only times, "Busy" and the city.</summary>
public enum FeedDetail
{
    Full,
    Busy,
}

/// <summary>
/// The language of a feed's titles and descriptions: English, Chinese (the Chinese text where there is one, else the
/// English), or both ("English / 中文" in SUMMARY). Names of places and people already carry both scripts.
/// </summary>
public enum FeedLanguage
{
    English,
    Chinese,
    Both,
}

/// <summary>A venue as a feed shows it.</summary>
public sealed record FeedPlace(
    string Name,
    string? LocalName,
    string Address,
    string City,
    string Country,
    double Latitude,
    double Longitude);

/// <summary>An attendee line. Role: chair|required|optional. Response: needs-action|accepted|declined|tentative.</summary>
public sealed record FeedAttendee(
    Guid PersonId,
    string FullName,
    string? LocalName,
    string? Email,
    string Role,
    string Response);

/// <summary>
/// One engagement. Status: tentative|confirmed|cancelled. Kind: meeting|site-visit|reception|briefing|press|travel.
/// Start and end are wall-clock times at the venue (a travel leg ends in the arrival zone).
/// <see cref="Destination"/> is the arrival venue of a travel leg. <see cref="ReviewPending"/> shows the event
/// as TENTATIVE even when it is confirmed.
/// </summary>
public sealed record FeedEvent(
    Guid EngagementId,
    int Sequence,
    string Status,
    string Kind,
    string Title,
    LocalDateTime StartLocal,
    string StartZone,
    LocalDateTime EndLocal,
    string EndZone,
    Instant CreatedAt,
    Instant UpdatedAt,
    string? Description,
    string? Host,
    string? TravelMode,
    string? TravelReference,
    FeedPlace Place,
    FeedPlace? Destination,
    IReadOnlyList<string> Areas,
    IReadOnlyList<FeedAttendee> Attendees,
    bool ReviewPending)
{
    /// <summary>The title in Chinese, when there is one (<see cref="FeedLanguage"/>).</summary>
    public string? TitleZh { get; init; }

    /// <summary>The description in Chinese, when there is one.</summary>
    public string? DescriptionZh { get; init; }
}

/// <summary>
/// A whole feed. <see cref="ShowAllAttendees"/>: organiser feeds list every attendee. Otherwise, when
/// <see cref="OwnerPersonId"/> is set (a person's feed), only that person's own ATTENDEE line appears.
/// <see cref="EventUrl"/> maps an engagement id to its page in the planner.
/// </summary>
public sealed record FeedCalendar(
    string Name,
    string DefaultTimeZone,
    IReadOnlyList<FeedEvent> Events,
    FeedDetail Detail,
    bool ShowAllAttendees,
    Guid? OwnerPersonId,
    string? OrganizerName,
    string? OrganizerEmail,
    Duration RefreshInterval,
    Func<Guid, string>? EventUrl,
    IReadOnlyList<FeedStay>? Stays = null,
    FeedLanguage Language = FeedLanguage.English);

/// <summary>
/// A person's nights at a hotel, shown as one all-day event from <see cref="CheckIn"/> to <see cref="CheckOut"/>: DATE
/// values, no zone, since a hotel night is the hotel's own date wherever the calendar is read. Free time (TRANSPARENT), so
/// it never shows the person busy all day. <see cref="RoomType"/>: single|double|twin|suite.
/// </summary>
public sealed record FeedStay(
    Guid StayId,
    int Sequence,
    FeedPlace Hotel,
    LocalDate CheckIn,
    LocalDate CheckOut,
    string RoomType,
    string? SharingWith,
    string? Confirmation,
    Instant CreatedAt,
    Instant UpdatedAt);
