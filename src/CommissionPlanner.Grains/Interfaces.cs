using CommissionPlanner.Domain.Languages;
using Orleans.Concurrency;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Data.Queries;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Logistics;
using CommissionPlanner.Domain.Members;
using CommissionPlanner.Domain.Planning;

namespace CommissionPlanner.Grains;

/// <summary>A programme: its dates, home zone and agreed research areas. Keyed by the programme's id.</summary>
[Alias("IProgrammeGrain")]
public interface IProgrammeGrain : IGrainWithGuidKey
{
    [Alias("Create")]
    Task<CommandResult> Create(ProgrammeSpec spec);

    /// <summary>Replaces the programme's name, dates, zone and areas; <paramref name="expectedVersion"/> guards against lost updates.</summary>
    [Alias("Update")]
    Task<CommandResult> Update(ProgrammeSpec spec, int expectedVersion, bool versionFromClient);
}

/// <summary>A venue: a place with a zone, coordinates and capacity. Keyed by the venue's id.</summary>
[Alias("IVenueGrain")]
public interface IVenueGrain : IGrainWithGuidKey
{
    [Alias("Create")]
    Task<CommandResult> Create(VenueSpec spec);

    /// <summary>
    /// Replaces the venue's fields. Every programme with an engagement there is marked changed; when the place itself
    /// moved (name, address, coordinates, zone …) those engagements' SEQUENCE goes up, since feeds show the location.
    /// </summary>
    [Alias("Update")]
    Task<CommandResult> Update(VenueSpec spec, int expectedVersion, bool versionFromClient);
}

/// <summary>One side's team within a programme and its members in protocol order. Keyed by the delegation's id.</summary>
[Alias("IDelegationGrain")]
public interface IDelegationGrain : IGrainWithGuidKey
{
    [Alias("Create")]
    Task<CommandResult> Create(Guid programmeId, DelegationSpec spec);

    /// <summary>Adds a member after the current last one in protocol order; e-mails are unique in a delegation.</summary>
    [Alias("AddMember")]
    Task<CommandResult> AddMember(Guid personId, MemberSpec spec);

    /// <summary>Replaces a member's recorded needs (dietary, access, interpreter, nationality, clearance).</summary>
    [Alias("SetLogistics")]
    Task<CommandResult> SetLogistics(Guid personId, LogisticsSpec spec, string actor);

    /// <summary>
    /// Replaces a member's working languages and interpreted pairs; everyone at the engagements they are on reads those
    /// bookings again, as whom they can follow there may have changed. <paramref name="expectedVersion"/>: the person's
    /// version the caller saw (If-Match), or null to replace whatever is there.
    /// </summary>
    [Alias("SetLanguages")]
    Task<CommandResult> SetLanguages(Guid personId, LanguageSpec spec, int? expectedVersion);

    /// <summary>Replaces the delegation's name and country.</summary>
    [Alias("Update")]
    Task<CommandResult> Update(DelegationSpec spec, int expectedVersion, bool versionFromClient);

    /// <summary>
    /// Replaces a member's details; e-mails stay unique in the delegation. A <paramref name="protocolOrder"/> moves the
    /// member to that position (1-based) and renumbers the others 1..n.
    /// </summary>
    /// <remarks><paramref name="notify"/>: whether the person wants e-mails about changes; null leaves it as it is.</remarks>
    [Alias("UpdateMember")]
    Task<CommandResult> UpdateMember(Guid personId, MemberSpec spec, int? protocolOrder, int expectedVersion, bool versionFromClient, bool? notify = null);

    /// <summary>
    /// Applies a member sheet read by <c>MemberSheet</c>: every row decided on the members as stored (matched by e-mail),
    /// and, when <paramref name="commit"/> and no row is refused, everything written in one transaction with the mapping
    /// remembered. A dry run (commit false) answers the same decision and writes nothing.
    /// </summary>
    [Alias("ImportMembers")]
    Task<MemberImportAnswer> ImportMembers(MemberSheetReading sheet, bool commit, string actor);

    /// <summary>The column mapping of the last committed sheet, as JSON (header → field), or null.</summary>
    [Alias("RememberedMapping"), ReadOnly]
    Task<string?> RememberedMapping();
}

/// <summary>
/// An engagement (meeting, visit, reception, travel leg …) and its attendee list. The single writer of both;
/// it asks each attendee's itinerary grain before booking anyone (calls go engagement → itinerary, never back).
/// </summary>
[Alias("IEngagementGrain")]
public interface IEngagementGrain : IGrainWithGuidKey
{
    [Alias("Create")]
    Task<CommandResult> Create(Guid programmeId, EngagementPlan plan);

    /// <summary>Replaces the engagement's plan; <paramref name="expectedVersion"/> guards against lost updates.</summary>
    [Alias("Update")]
    Task<CommandResult> Update(EngagementPlan plan, int expectedVersion, bool versionFromClient);

    [Alias("Confirm")]
    Task<CommandResult> Confirm();

    [Alias("Cancel")]
    Task<CommandResult> Cancel(string reason);

    [Alias("AddAttendee")]
    Task<AttendeeAddition> AddAttendee(Guid personId, AttendeeRole role);

    [Alias("SetResponse")]
    Task<CommandResult> SetResponse(Guid personId, Response response);

    [Alias("RemoveAttendee")]
    Task<CommandResult> RemoveAttendee(Guid personId);

    /// <summary>A research-security reviewer's decision: approved or rejected, with a note.</summary>
    [Alias("Review")]
    Task<CommandResult> Review(ReviewStatus decision, string note, string reviewer);
}

/// <summary>
/// A vehicle of a programme, and the one place its transfers are booked: engagements ask it to hold their time before they
/// write (calls go engagement → vehicle, never back), so two transfers asking for one vehicle at once, on any silos, are
/// checked one after the other. The database's exclusion constraint on a vehicle's transfer times is the last word.
/// </summary>
[Alias("IVehicleGrain")]
public interface IVehicleGrain : IGrainWithGuidKey
{
    [Alias("Create")]
    Task<CommandResult> Create(Guid programmeId, VehicleSpec spec);

    /// <summary>Replaces the vehicle's label, seats and driver; seats below a transfer's passengers are refused (409).</summary>
    [Alias("Update")]
    Task<CommandResult> Update(VehicleSpec spec, int expectedVersion, bool versionFromClient);

    /// <summary>
    /// Holds the vehicle for the transfer over its time when no other transfer (committed, or held meanwhile) has it then;
    /// the caller releases the hold once it has written.
    /// </summary>
    [Alias("Reserve")]
    Task<VehicleReservation> Reserve(VehicleBooking booking);

    /// <summary>The transfer's write is committed or abandoned: drop the hold (only if it is still <paramref name="holdId"/>).</summary>
    [Alias("Release"), Orleans.Concurrency.OneWay]
    Task Release(Guid engagementId, Guid holdId);
}

/// <summary>
/// The programme's hotel rooms: its room blocks and every stay, decided together so that a block is never over-allocated
/// and no one sleeps in two places or shares a room no one holds. Keyed by the programme's id; its writes also take the
/// programme's stays lock in PostgreSQL, which the import takes too.
/// </summary>
[Alias("IAccommodationGrain")]
public interface IAccommodationGrain : IGrainWithGuidKey
{
    /// <summary>Sets the rooms held at a hotel for each night of the plan; lowering below the rooms allocated is refused (409).</summary>
    [Alias("SetRoomBlock")]
    Task<CommandResult> SetRoomBlock(RoomBlockPlan plan);

    [Alias("CreateStay")]
    Task<CommandResult> CreateStay(Guid stayId, Guid personId, StayPlan plan);

    [Alias("UpdateStay")]
    Task<CommandResult> UpdateStay(Guid stayId, StayPlan plan, int expectedVersion, bool versionFromClient);

    [Alias("RemoveStay")]
    Task<CommandResult> RemoveStay(Guid stayId);

    /// <summary>A research-security reviewer's decision on a stay at a sensitive hotel.</summary>
    [Alias("ReviewStay")]
    Task<CommandResult> ReviewStay(Guid stayId, ReviewStatus decision, string note, string reviewer);
}

// Slots, bookings and views cross these calls wrapped in Immutable<T>: neither side changes them after the call, so a
// call within one silo passes them as they are instead of copying them through JSON (measured: the copies were a
// tenth of an attendee add's CPU, deploy/perf/load-test.sh).

/// <summary>
/// One person's itinerary: that person's bookings with the engagement facts an itinerary shows, held in memory, loaded
/// from PostgreSQL on first use and kept current by the writers, which tell it after they commit (one-way calls). It
/// answers booking checks and itinerary reads from that state, and serialises booking checks: two engagements asking to
/// book the same person at once are checked one after the other, each seeing the other's hold.
/// </summary>
[Alias("IItineraryGrain")]
public interface IItineraryGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Checks the slot against the person's bookings and, when it fits, holds it until Booked or Release. Answers with the
    /// person as held (none: not reserved, and no person).
    /// </summary>
    [Alias("Reserve")]
    Task<ReservationResult> Reserve(Immutable<BookedSlot> slot);

    /// <summary>The clashes the slot would have, without holding anything (for reschedules, which may create clashes).</summary>
    [Alias("Evaluate")]
    Task<IReadOnlyList<ClashInfo>> Evaluate(Immutable<BookedSlot> slot);

    /// <summary>
    /// The itinerary's JSON as the API serves it to <paramref name="viewer"/> (an admin, other staff, or the delegate
    /// themself); null when there is no such person.
    /// </summary>
    [Alias("View")]
    Task<Immutable<byte[]?>> View(ItineraryViewer viewer);

    /// <summary>
    /// The booking was abandoned: drop the in-memory hold. One-way, so the writer does not wait for it: the hold named by
    /// <paramref name="holdId"/> is dropped only if it is still the engagement's hold, so a release that arrives late
    /// never drops a newer hold, and one that never arrives lapses.
    /// </summary>
    [Alias("Release"), Orleans.Concurrency.OneWay]
    Task Release(Guid engagementId, Guid holdId);

    /// <summary>
    /// The booking is committed, as <paramref name="booking"/> shows it: keep it and drop the hold (as <see cref="Release"/>).
    /// The writer sends what it wrote, so the hottest write costs the itinerary no query, and hands it over: it never
    /// touches those rows again, so on the same silo they are not copied (Immutable).
    /// </summary>
    [Alias("Booked"), Orleans.Concurrency.OneWay]
    Task Booked(Guid holdId, Immutable<ItineraryBooking> booking);

    /// <summary>
    /// A committed change touched what this person's itinerary shows of the engagement (its time, place, status, review,
    /// list or venue): read that booking again, unless what is held is already at the database's revision or newer.
    /// </summary>
    [Alias("Refresh"), Orleans.Concurrency.OneWay]
    Task Refresh(Guid engagementId);

    /// <summary>
    /// Many of the person's bookings, or the person themself, may have changed (an import, a programme or member edit):
    /// compare every revision with the database's and read again what moved. Does nothing while nothing is loaded.
    /// </summary>
    [Alias("Revalidate"), Orleans.Concurrency.OneWay]
    Task Revalidate();

    /// <summary>
    /// The database's revisions for this person, as <see cref="ItineraryRevisionChecks"/> read them when the grain asked:
    /// read again what moved. A read older than the last comparison is ignored; one that predates a booking the grain
    /// was told of since cannot drop it (what the read lacks is read again, not dropped).
    /// </summary>
    [Alias("Compare"), Orleans.Concurrency.OneWay]
    Task Compare(Immutable<ItineraryRevisions> revisions);
}

/// <summary>
/// Turns a person's bookings into the itinerary's JSON. The web host supplies it (the resource shapes and the JSON
/// settings are the API's); the grain keeps what it returns until the bookings change.
/// </summary>
public interface IItineraryRenderer
{
    byte[] Render(PersonRecord person, IReadOnlyCollection<ItineraryBooking> bookings, IReadOnlyList<ItineraryStay> stays, ItineraryViewer viewer);
}

/// <summary>Who reads an itinerary, as far as what they may see of it differs (docs/security.md).</summary>
public enum ItineraryViewer
{
    /// <summary>Everything, the reviewer's key id included.</summary>
    Admin,

    /// <summary>Organisers, reviewers, viewers: the reviewer by name, without the key id.</summary>
    Staff,

    /// <summary>The delegate themself: review status only, no venue sensitivity.</summary>
    Delegate,
}
