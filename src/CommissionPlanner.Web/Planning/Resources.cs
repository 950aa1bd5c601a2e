namespace CommissionPlanner.Web.Planning;

// The JSON the API answers with (camelCase on the wire). Times: local ISO 8601 without offset beside
// their IANA zone, and the UTC instant ("2025-11-11T02:00:00Z").

public sealed record ProgrammeResource(
    Guid Id, string? ExternalId, string Name, string StartDate, string EndDate, string TimeZone,
    IReadOnlyList<string> Areas, int Version, string CreatedAt, string UpdatedAt, bool NotificationsEnabled);

/// <remarks><see cref="Sensitive"/> is staff-only: null (and left out of the JSON) where a delegate sees the venue (<c>Security.Visibility</c>).</remarks>
public sealed record VenueResource(
    Guid Id, string? ExternalId, string Name, string? LocalName, string Address, string City, string Country, string TimeZone,
    double Latitude, double Longitude, int? Capacity,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] bool? Sensitive,
    int Version);

public sealed record PersonResource(
    Guid Id, Guid ProgrammeId, Guid DelegationId, string? ExternalId, string FullName, string? LocalName,
    string Organisation, string Title, string Email, string Role, int ProtocolOrder, int Version, bool Notify);

public sealed record DelegationResource(
    Guid Id, Guid ProgrammeId, string? ExternalId, string Name, string Country, int Version, IReadOnlyList<PersonResource> Members);

public sealed record ReviewResource(string Status, string? By, string? At, string? Note);

public sealed record ClashResource(Guid PersonId, string Kind, IReadOnlyList<Guid> EngagementIds, string Detail);

public sealed record EngagementResource(
    Guid Id,
    Guid ProgrammeId,
    string? ExternalId,
    string Kind,
    string Title,
    string Status,
    Guid? VenueId,
    Guid? FromVenueId,
    Guid? ToVenueId,
    VenueResource Venue,
    VenueResource? ToVenue,
    string Start,
    string End,
    string TimeZone,
    string EndTimeZone,
    string StartUtc,
    string EndUtc,
    IReadOnlyList<string> Areas,
    int? Capacity,
    int? EffectiveCapacity,
    string? Host,
    string? Description,
    string? Mode,
    string? Reference,
    string? CancelReason,
    string? CancelledAt,
    ReviewResource Review,
    int Version,
    int Sequence,
    string CreatedAt,
    string UpdatedAt,
    IReadOnlyList<ClashResource>? Warnings = null);

public sealed record AttendeeResource(
    Guid PersonId, string FullName, string? LocalName, Guid DelegationId, string Organisation, string Title,
    string Role, string Response, string Attendance, int? WaitingPosition, string? RespondedAt);

public sealed record ItineraryEntry(
    Guid EngagementId,
    string Kind,
    string Title,
    VenueResource Venue,
    VenueResource? ToVenue,
    string Start,
    string End,
    string TimeZone,
    string EndTimeZone,
    string StartUtc,
    string EndUtc,
    string Status,
    string Role,
    string Response,
    string Attendance,
    int? WaitingPosition,
    ReviewResource Review,
    string? Host = null,
    string? Mode = null,
    string? Reference = null);

public sealed record ItineraryResource(PersonResource Person, IReadOnlyList<ItineraryEntry> Entries, IReadOnlyList<ClashResource> Warnings);
