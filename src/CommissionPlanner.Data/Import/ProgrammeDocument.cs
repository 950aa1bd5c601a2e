using System.Text.Json.Serialization;

namespace CommissionPlanner.Data.Import;

// A whole programme as one JSON document ("commission-planner/programme@1"), for import and export.
// Property order here is the order on the wire; names are camelCase (System.Text.Json web defaults).
// Every field is nullable and loosely typed so that a wrong value becomes a field error naming it
// (through ReferenceSpecs/EngagementSpecs), not a failed deserialisation. docs/import-format.md describes it.

/// <summary>
/// The document: a programme with the venues, delegations, people, engagements and attendees it uses, and its hotels and
/// ground transport (vehicles, room blocks, stays; optional, docs/logistics.md).
/// </summary>
public sealed record ProgrammeDocument(
    string? Format,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Notes,
    ProgrammeData? Programme,
    IReadOnlyList<VenueData?>? Venues,
    IReadOnlyList<DelegationData?>? Delegations,
    IReadOnlyList<EngagementData?>? Engagements,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<VehicleData?>? Vehicles = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RoomBlockData?>? RoomBlocks = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<StayData?>? Stays = null)
{
    /// <summary>The only format this version reads and writes.</summary>
    public const string FormatId = "commission-planner/programme@1";
}

public sealed record ProgrammeData(
    string? ExternalId,
    string? Name,
    string? StartDate,
    string? EndDate,
    string? TimeZone,
    IReadOnlyList<string>? Areas,
    bool? NotificationsEnabled = null,
    string? NameZh = null);

public sealed record VenueData(
    string? ExternalId,
    string? Name,
    string? LocalName,
    string? Address,
    string? City,
    string? Country,
    string? TimeZone,
    double? Latitude,
    double? Longitude,
    int? Capacity,
    bool? Sensitive);

public sealed record DelegationData(
    string? ExternalId,
    string? Name,
    string? Country,
    IReadOnlyList<MemberData?>? Members);

/// <summary>
/// A delegation member; the members' order in the list is their protocol order. <see cref="Languages"/> and
/// <see cref="Interprets"/> (ISO 639 codes; "en-zh" pairs) replace what is stored when either is given, and leave it
/// as it is when both are left out, so that a document written before they existed changes nobody's languages.
/// </summary>
public sealed record MemberData(
    string? ExternalId,
    string? FullName,
    string? LocalName,
    string? Organisation,
    string? Title,
    string? Email,
    string? Role,
    IReadOnlyList<string>? Languages = null,
    IReadOnlyList<string>? Interprets = null)
{
    // Records compare lists by reference; a member read back from an export must equal the one written.
    public bool Equals(MemberData? other) =>
        other is not null && ExternalId == other.ExternalId && FullName == other.FullName && LocalName == other.LocalName
        && Organisation == other.Organisation && Title == other.Title && Email == other.Email && Role == other.Role
        && SameList(Languages, other.Languages) && SameList(Interprets, other.Interprets);

    public override int GetHashCode() => HashCode.Combine(ExternalId, FullName, Email);

    private static bool SameList(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b, StringComparer.Ordinal);
}

/// <summary>
/// An engagement. Meetings and visits use <see cref="Venue"/>, <see cref="Start"/>, <see cref="End"/> (local to the
/// venue, or to <see cref="TimeZone"/> when given); travel legs use <see cref="From"/>, <see cref="To"/>,
/// <see cref="Departure"/> (local to the departure venue), <see cref="Arrival"/> (local to the arrival venue) and
/// <see cref="Mode"/>; a transfer is a travel leg by car with a <see cref="Vehicle"/> (a vehicle externalId of the same
/// document), whose passengers are its attendees. Venue references are venue externalIds of the same document.
/// </summary>
public sealed record EngagementData(
    string? ExternalId,
    string? Kind,
    string? Title,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Venue,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? From,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? To,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Start,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? End,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Departure,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Arrival,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TimeZone,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Areas,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Capacity,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Host,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Mode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reference,
    string? Status,
    IReadOnlyList<AttendeeData?>? Attendees,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Vehicle = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TitleZh = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DescriptionZh = null);

/// <summary>An invitation: <see cref="Person"/> is a member externalId of the same document.</summary>
public sealed record AttendeeData(
    string? Person,
    string? Role,
    string? Response);

/// <summary>A vehicle for transfers; the driver's name and phone are for staff only.</summary>
public sealed record VehicleData(
    string? ExternalId,
    string? Label,
    int? Seats,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DriverName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DriverPhone);

/// <summary>Rooms held at a hotel (a venue externalId) for each night from firstNight to lastNight, both included.</summary>
public sealed record RoomBlockData(
    string? Hotel,
    string? FirstNight,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LastNight,
    int? Rooms);

/// <summary>
/// A person's nights at a hotel, from checkIn up to (not including) checkOut, dates local to the hotel. Person and
/// sharingWith are member externalIds, hotel a venue externalId, of the same document.
/// </summary>
public sealed record StayData(
    string? ExternalId,
    string? Person,
    string? Hotel,
    string? CheckIn,
    string? CheckOut,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RoomType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SharingWith,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Confirmation);
