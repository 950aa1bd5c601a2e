namespace CommissionPlanner.Web.Planning;

// The JSON the API answers with (camelCase on the wire). Times: local ISO 8601 without offset beside
// their IANA zone, and the UTC instant ("2025-11-11T02:00:00Z").

public sealed record ProgrammeResource(
    Guid Id, string? ExternalId, string Name, string StartDate, string EndDate, string TimeZone,
    IReadOnlyList<string> Areas, int Version, string CreatedAt, string UpdatedAt, bool NotificationsEnabled, string? NameZh = null);

/// <remarks><see cref="Sensitive"/> is staff-only: null (and left out of the JSON) where a delegate sees the venue (<c>Security.Visibility</c>).</remarks>
public sealed record VenueResource(
    Guid Id, string? ExternalId, string Name, string? LocalName, string Address, string City, string Country, string TimeZone,
    double Latitude, double Longitude, int? Capacity,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] bool? Sensitive,
    int Version);

/// <remarks>
/// <see cref="Languages"/>: the languages the person works in (ISO 639 codes), empty when not recorded;
/// <see cref="Interprets"/>: for an interpreter, the pairs they cover ("en-zh"). Both set with
/// <c>PUT /api/people/{id}/languages</c>.
/// </remarks>
public sealed record PersonResource(
    Guid Id, Guid ProgrammeId, Guid DelegationId, string? ExternalId, string FullName, string? LocalName,
    string Organisation, string Title, string Email, string Role, int ProtocolOrder, int Version, bool Notify,
    IReadOnlyList<string> Languages, IReadOnlyList<string> Interprets);

public sealed record DelegationResource(
    Guid Id, Guid ProgrammeId, string? ExternalId, string Name, string Country, int Version, IReadOnlyList<PersonResource> Members);

public sealed record ReviewResource(string Status, string? By, string? At, string? Note);

/// <remarks><see cref="MinutesShort"/>: for a travel clash, how many more minutes the gap needs (left out for an overlap).</remarks>
public sealed record ClashResource(
    Guid PersonId, string Kind, IReadOnlyList<Guid> EngagementIds, string Detail,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] int? MinutesShort = null);

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
    IReadOnlyList<ClashResource>? Warnings = null,
    Guid? VehicleId = null,
    string? TitleZh = null,
    string? DescriptionZh = null);

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
    string? Reference = null,
    string? TitleZh = null);

public sealed record ItineraryResource(
    PersonResource Person, IReadOnlyList<ItineraryEntry> Entries, IReadOnlyList<ClashResource> Warnings, IReadOnlyList<StayResource>? Stays = null);

/// <summary>
/// A person's nights at a hotel: <see cref="CheckIn"/> and <see cref="CheckOut"/> are dates local to the hotel (no zone: a
/// night is the hotel's), the nights those from check-in up to, not including, check-out.
/// </summary>
public sealed record StayResource(
    Guid Id, Guid ProgrammeId, Guid PersonId, string? ExternalId, Guid HotelId, VenueResource Hotel, string CheckIn, string CheckOut, int Nights,
    string RoomType, Guid? SharingWith, string? SharingWithName, string? Confirmation, ReviewResource Review, int Version, int Sequence);

/// <remarks>The driver's name and phone are for staff: vehicles are read by staff roles only.</remarks>
public sealed record VehicleResource(
    Guid Id, Guid ProgrammeId, string? ExternalId, string Label, int Seats, string? DriverName, string? DriverPhone, int Version);

/// <summary>One night at a hotel: the rooms the programme's block holds (null: no block) and those taken.</summary>
public sealed record HotelNightResource(Guid HotelId, string Hotel, string Night, int? Rooms, int Allocated, int? Free);

/// <summary>One passenger of a transfer, as the manifest lists them.</summary>
public sealed record PassengerResource(Guid PersonId, string FullName, string? LocalName, string Delegation, string Organisation, string Response);

/// <summary>One transfer of a vehicle with its passengers.</summary>
public sealed record ManifestTransfer(
    Guid EngagementId, string Title, string Status, string From, string To, string Departure, string DepartureZone, string Arrival, string ArrivalZone,
    string? Reference, IReadOnlyList<PassengerResource> Passengers);

public sealed record ManifestResource(VehicleResource Vehicle, IReadOnlyList<ManifestTransfer> Transfers);

/// <summary>One room on one night of a rooming list: whose room it is, who shares it, and the stay's details.</summary>
public sealed record RoomingRow(
    Guid HotelId, string Hotel, string Night, Guid PersonId, string Guest, string? GuestLocalName, string Delegation, string RoomType,
    string? SharedWith, string CheckIn, string CheckOut, string? Confirmation, string Review);
