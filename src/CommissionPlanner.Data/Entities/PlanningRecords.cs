using CommissionPlanner.Domain;
using NodaTime;

namespace CommissionPlanner.Data.Entities;

// Persistence shapes of the planning aggregates. Grains are their only writers (the import writes
// whole programmes in one transaction); reports and lists read them directly.
// Every editable row carries Version, an optimistic-concurrency token that backs up If-Match.

public sealed class ProgrammeRecord
{
    public Guid Id { get; set; }
    /// <summary>The stable id from an imported document; re-imports update the same row.</summary>
    public string? ExternalId { get; set; }
    public required string Name { get; set; }

    /// <summary>The name in Chinese, when the programme has one (shown on Chinese pages and in Chinese feeds).</summary>
    public string? NameZh { get; set; }

    public LocalDate StartDate { get; set; }
    public LocalDate EndDate { get; set; }
    public required string TimeZone { get; set; }
    public List<string> Areas { get; set; } = [];
    public int Version { get; set; }
    /// <summary>
    /// Bumped by every change anywhere in the programme (engagements, attendees, members, imports), so a cached
    /// feed knows with one cheap read whether it is still current.
    /// </summary>
    public long ChangeStamp { get; set; }
    /// <summary>
    /// Whether changes are e-mailed to the people they affect. Off while a programme is drafted (the default); switched
    /// on, what everyone's feed shows then becomes what they were told.
    /// </summary>
    public bool NotificationsEnabled { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant UpdatedAt { get; set; }
}

public sealed class VenueRecord
{
    public Guid Id { get; set; }
    public string? ExternalId { get; set; }
    public required string Name { get; set; }
    public string? LocalName { get; set; }
    public required string Address { get; set; }
    public required string City { get; set; }
    public required string Country { get; set; }
    public required string TimeZone { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public int? Capacity { get; set; }
    /// <summary>A site where any engagement needs a research-security review.</summary>
    public bool Sensitive { get; set; }
    public int Version { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant UpdatedAt { get; set; }
}

public sealed class DelegationRecord
{
    public Guid Id { get; set; }
    public Guid ProgrammeId { get; set; }
    public string? ExternalId { get; set; }
    public required string Name { get; set; }
    public required string Country { get; set; }
    public int Version { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant UpdatedAt { get; set; }
}

public sealed class PersonRecord
{
    public Guid Id { get; set; }
    public Guid DelegationId { get; set; }
    public Guid ProgrammeId { get; set; }
    public string? ExternalId { get; set; }
    public required string FullName { get; set; }
    /// <summary>The name in its own script (e.g. Chinese), shown beside the Latin one.</summary>
    public string? LocalName { get; set; }
    public required string Organisation { get; set; }
    public required string Title { get; set; }
    /// <summary>Normalised (trimmed, lower case); unique within a delegation.</summary>
    public required string Email { get; set; }
    public required DelegateRole Role { get; set; }
    /// <summary>Precedence within the delegation: lists show members in this order (1 = first).</summary>
    public int ProtocolOrder { get; set; }
    public int Version { get; set; }
    /// <summary>Goes up with every update of the row, by a database trigger (as <see cref="EngagementRecord.Revision"/>).</summary>
    public long Revision { get; set; }
    /// <summary>Whether the person wants e-mails about changes (their own opt-out); true unless they said no.</summary>
    public bool Notify { get; set; } = true;

    /// <summary>
    /// The languages the person works in, as ISO 639 codes ("en", "zh"); empty when not recorded. Changing them (or
    /// <see cref="Interprets"/>) raises the list revision of every engagement the person is on (a trigger: migration
    /// PersonLanguages), as the coverage of those lists changes with them.
    /// </summary>
    public List<string> Languages { get; set; } = [];

    /// <summary>For an interpreter, the pairs they interpret between ("en-zh"); empty for everyone else.</summary>
    public List<string> Interprets { get; set; } = [];
    public Instant CreatedAt { get; set; }
    public Instant UpdatedAt { get; set; }
}

public sealed class EngagementRecord
{
    public Guid Id { get; set; }
    public Guid ProgrammeId { get; set; }
    public string? ExternalId { get; set; }
    public required EngagementKind Kind { get; set; }
    public required string Title { get; set; }
    /// <summary>The title in Chinese beside the English one (optional); Chinese feeds and pages show it.</summary>
    public string? TitleZh { get; set; }
    /// <summary>The description in Chinese beside <see cref="Description"/> (optional).</summary>
    public string? DescriptionZh { get; set; }
    public required EngagementStatus Status { get; set; }

    /// <summary>The venue, or for a travel leg the departure venue.</summary>
    public Guid FromVenueId { get; set; }
    /// <summary>Equal to <see cref="FromVenueId"/> except for travel legs, where it is the arrival venue.</summary>
    public Guid ToVenueId { get; set; }

    // What people plan: wall-clock times with their IANA zones. The instants below are derived from them.
    public LocalDateTime StartLocal { get; set; }
    public required string StartZone { get; set; }
    public LocalDateTime EndLocal { get; set; }
    public required string EndZone { get; set; }
    public Instant StartUtc { get; set; }
    public Instant EndUtc { get; set; }

    public List<string> Areas { get; set; } = [];
    public int? Capacity { get; set; }
    public string? Host { get; set; }
    public string? Description { get; set; }
    public TravelMode? TravelMode { get; set; }
    public string? TravelReference { get; set; }
    /// <summary>The vehicle of a transfer (a travel leg by car); no vehicle is on two transfers at once (a database constraint).</summary>
    public Guid? VehicleId { get; set; }

    public string? CancelReason { get; set; }
    public Instant? CancelledAt { get; set; }

    public required ReviewStatus ReviewStatus { get; set; }
    public string? ReviewBy { get; set; }
    public Instant? ReviewAt { get; set; }
    public string? ReviewNote { get; set; }

    public int Version { get; set; }
    /// <summary>
    /// Goes up with every change to the engagement as itineraries show it: the row itself or one of its venues. Kept by
    /// the database's own triggers (migration ItineraryRevisions), so no writer (grain, import, a future one) can forget
    /// it; itinerary grains compare it to know whether what they hold is current. Never written by the application.
    /// </summary>
    public long Revision { get; set; }
    /// <summary>
    /// Goes up with every change to the engagement's attendee list (once per statement), by trigger as
    /// <see cref="Revision"/>. Apart from it because a list change moves only the places of those who accepted: an
    /// itinerary holding an invitation not yet answered need not read the booking again.
    /// </summary>
    public long ListRevision { get; set; }
    /// <summary>The iCalendar SEQUENCE: bumped on every change of time, place or status.</summary>
    public int Sequence { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant UpdatedAt { get; set; }

    /// <summary>A copy to hand to another grain, which may trim its own (the areas list is shared: replace it, never add to it).</summary>
    public EngagementRecord ShallowCopy() => (EngagementRecord)MemberwiseClone();
}

public sealed class AttendeeRecord
{
    public Guid EngagementId { get; set; }
    public Guid PersonId { get; set; }
    public required AttendeeRole Role { get; set; }
    public required Response Response { get; set; }
    /// <summary>Increases each time someone accepts: the waiting list's order.</summary>
    public long AcceptanceOrder { get; set; }
    public Instant InvitedAt { get; set; }
    public Instant? RespondedAt { get; set; }

    /// <summary>The engagement's time, copied here so the database can refuse double-bookings itself.</summary>
    public Interval Occupied { get; set; }
    /// <summary>
    /// Whether this booking takes part in the no-overlap constraint: false when the engagement is cancelled,
    /// the person declined, or a later reschedule knowingly created a clash (shown as a warning instead).
    /// </summary>
    public bool HoldsTime { get; set; }

    /// <summary>A copy to hand to another grain, as <see cref="EngagementRecord.ShallowCopy"/>.</summary>
    public AttendeeRecord ShallowCopy() => (AttendeeRecord)MemberwiseClone();
}

/// <summary>
/// The column mapping a delegation's last member sheet was committed with (header → member field wire name), so the
/// next sheet from the same counterpart is suggested the same mapping. Written by the delegation grain with the import.
/// </summary>
public sealed class MemberSheetMappingRecord
{
    public Guid DelegationId { get; set; }
    /// <summary>A JSON object: header → field wire name.</summary>
    public required string Mapping { get; set; }
    public Instant UpdatedAt { get; set; }
}

/// <summary>A car, van or coach the programme has for transfers. The driver's name and phone are for staff only.</summary>
public sealed class VehicleRecord
{
    public Guid Id { get; set; }
    public Guid ProgrammeId { get; set; }
    public string? ExternalId { get; set; }
    public required string Label { get; set; }
    /// <summary>Passenger seats (the driver's not counted): a transfer's capacity.</summary>
    public int Seats { get; set; }
    public string? DriverName { get; set; }
    public string? DriverPhone { get; set; }
    public int Version { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant UpdatedAt { get; set; }
}

/// <summary>The rooms a programme holds at a hotel (a venue) for one night: the night of <see cref="Night"/>, local to the hotel.</summary>
public sealed class RoomBlockRecord
{
    public Guid ProgrammeId { get; set; }
    public Guid HotelId { get; set; }
    public LocalDate Night { get; set; }
    public int Rooms { get; set; }
    public Instant UpdatedAt { get; set; }
}

/// <summary>
/// A person's nights at a hotel: from <see cref="CheckIn"/> up to, not including, <see cref="CheckOut"/>, dates local to the
/// hotel (a calendar shows them as all-day events, DATE values without a zone). A guest sharing a room names the person
/// whose room it is (<see cref="SharingWithPersonId"/>) and takes no room of the block.
/// </summary>
public sealed class StayRecord
{
    public Guid Id { get; set; }
    public Guid ProgrammeId { get; set; }
    public Guid PersonId { get; set; }
    public Guid HotelId { get; set; }
    public string? ExternalId { get; set; }
    public LocalDate CheckIn { get; set; }
    public LocalDate CheckOut { get; set; }
    public required RoomType RoomType { get; set; }
    public Guid? SharingWithPersonId { get; set; }
    public string? Confirmation { get; set; }
    /// <summary>A stay at a hotel marked sensitive needs a research-security reviewer's decision, as an engagement there does.</summary>
    public required ReviewStatus ReviewStatus { get; set; }
    public string? ReviewBy { get; set; }
    public Instant? ReviewAt { get; set; }
    public string? ReviewNote { get; set; }
    /// <summary>The iCalendar SEQUENCE of the stay's all-day event: bumped when its dates or hotel change.</summary>
    public int Sequence { get; set; }
    public int Version { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant UpdatedAt { get; set; }
}
