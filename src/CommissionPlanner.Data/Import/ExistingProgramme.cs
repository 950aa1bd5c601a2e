using CommissionPlanner.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Data.Import;

/// <summary>
/// The rows an import may match or must respect, loaded (tracked) inside the import's transaction: the programme
/// with every delegation, person, engagement and attendee it has, the venues the document names, and the venues the
/// programme's engagements use.
/// </summary>
internal sealed class ExistingProgramme
{
    private ExistingProgramme(
        ProgrammeRecord? programme, List<VenueRecord> venues, List<DelegationRecord> delegations, List<PersonRecord> people,
        List<EngagementRecord> engagements, List<AttendeeRecord> attendees, OtherProgrammes others, Logistics logistics)
    {
        Vehicles = new KeyedRows<VehicleRecord>(logistics.Vehicles, v => v.ExternalId, v => v.Id);
        AllVehicles = logistics.Vehicles;
        Stays = new KeyedRows<StayRecord>(logistics.Stays, s => s.ExternalId, s => s.Id);
        AllStays = logistics.Stays;
        RoomBlocks = logistics.RoomBlocks.ToDictionary(b => (b.HotelId, b.Night));
        Others = others;
        Programme = programme;
        VenuesById = venues.ToDictionary(v => v.Id);
        Venues = new KeyedRows<VenueRecord>(venues, v => v.ExternalId, v => v.Id);
        Delegations = new KeyedRows<DelegationRecord>(delegations, d => d.ExternalId, d => d.Id);
        People = new KeyedRows<PersonRecord>(people, p => p.ExternalId, p => p.Id);
        AllPeople = people;
        PeopleById = people.ToDictionary(p => p.Id);
        Engagements = new KeyedRows<EngagementRecord>(engagements, e => e.ExternalId, e => e.Id);
        AllEngagements = engagements;
        Attendees = attendees.ToDictionary(a => (a.EngagementId, a.PersonId));
        AttendeesByEngagement = attendees.GroupBy(a => a.EngagementId).ToDictionary(g => g.Key, g => g.ToList());
    }

    public ProgrammeRecord? Programme { get; }

    public IReadOnlyDictionary<Guid, VenueRecord> VenuesById { get; }

    public KeyedRows<VenueRecord> Venues { get; }

    public KeyedRows<DelegationRecord> Delegations { get; }

    public KeyedRows<PersonRecord> People { get; }

    public IReadOnlyList<PersonRecord> AllPeople { get; }

    public IReadOnlyDictionary<Guid, PersonRecord> PeopleById { get; }

    public KeyedRows<EngagementRecord> Engagements { get; }

    public IReadOnlyList<EngagementRecord> AllEngagements { get; }

    public IReadOnlyDictionary<(Guid EngagementId, Guid PersonId), AttendeeRecord> Attendees { get; }

    public IReadOnlyDictionary<Guid, List<AttendeeRecord>> AttendeesByEngagement { get; }

    public KeyedRows<VehicleRecord> Vehicles { get; }

    public IReadOnlyList<VehicleRecord> AllVehicles { get; }

    public KeyedRows<StayRecord> Stays { get; }

    public IReadOnlyList<StayRecord> AllStays { get; }

    /// <summary>The programme's room blocks, by hotel and night.</summary>
    public IReadOnlyDictionary<(Guid HotelId, NodaTime.LocalDate Night), RoomBlockRecord> RoomBlocks { get; }

    /// <summary>Other programmes' engagements at the document's venues: a change to a shared venue reaches them too.</summary>
    public OtherProgrammes Others { get; }

    public static async Task<ExistingProgramme> LoadAsync(
        PlannerDbContext db, string? programmeExternalId, IReadOnlyCollection<string> venueExternalIds, CancellationToken cancellationToken)
    {
        ProgrammeRecord? programme = null;
        if (programmeExternalId is not null)
        {
            programme = await db.Programmes.SingleOrDefaultAsync(p => p.ExternalId == programmeExternalId, cancellationToken);
            if (programme is null && Guid.TryParse(programmeExternalId, out var programmeId))
            {
                // An export of a programme created through the API carries its UUID as the externalId.
                programme = await db.Programmes.SingleOrDefaultAsync(p => p.Id == programmeId && p.ExternalId == null, cancellationToken);
            }
        }

        List<DelegationRecord> delegations = [];
        List<PersonRecord> people = [];
        List<EngagementRecord> engagements = [];
        List<AttendeeRecord> attendees = [];
        var logistics = new Logistics([], [], []);
        if (programme is not null)
        {
            var id = programme.Id;
            // The stays lock first, as the accommodation grain takes it: no stay or block changes under the import's feet.
            await StayLocks.LockAsync(db, id, cancellationToken);
            logistics = new Logistics(
                await db.Vehicles.Where(v => v.ProgrammeId == id).ToListAsync(cancellationToken),
                await db.Stays.Where(s => s.ProgrammeId == id).ToListAsync(cancellationToken),
                await db.RoomBlocks.Where(b => b.ProgrammeId == id).ToListAsync(cancellationToken));
            delegations = await db.Delegations.Where(d => d.ProgrammeId == id).ToListAsync(cancellationToken);
            people = await db.People.Where(p => p.ProgrammeId == id).ToListAsync(cancellationToken);
            engagements = await db.Engagements.Where(e => e.ProgrammeId == id).ToListAsync(cancellationToken);
            attendees = await db.Attendees
                .Where(a => db.Engagements.Any(e => e.Id == a.EngagementId && e.ProgrammeId == id))
                .ToListAsync(cancellationToken);
        }

        var externalIds = venueExternalIds.ToList();
        var uuidIds = venueExternalIds.Select(e => Guid.TryParse(e, out var g) ? g : (Guid?)null).OfType<Guid>().ToList();
        var usedIds = engagements.SelectMany(e => new[] { e.FromVenueId, e.ToVenueId })
            .Concat(logistics.Stays.Select(s => s.HotelId)).Concat(logistics.RoomBlocks.Select(b => b.HotelId)).Distinct().ToList();
        var venues = await db.Venues
            .Where(v => (v.ExternalId != null && externalIds.Contains(v.ExternalId))
                || (v.ExternalId == null && uuidIds.Contains(v.Id))
                || usedIds.Contains(v.Id))
            .ToListAsync(cancellationToken);

        var others = await OtherProgrammes.LoadAsync(db, programme?.Id, venues, cancellationToken);
        return new ExistingProgramme(programme, [.. venues, .. others.Venues], delegations, people, engagements, attendees, others, logistics);
    }

    private sealed record Logistics(List<VehicleRecord> Vehicles, List<StayRecord> Stays, List<RoomBlockRecord> RoomBlocks);
}

/// <summary>
/// The engagements of other programmes at venues the import may change (tracked, so the same rules can re-decide them),
/// with their programmes' agreed areas, their replies and the venues they use besides.
/// </summary>
internal sealed class OtherProgrammes
{
    private OtherProgrammes(
        List<EngagementRecord> engagements, Dictionary<Guid, List<string>> agreedAreas, Dictionary<Guid, List<Domain.AttendeeReply>> replies,
        List<VenueRecord> venues)
    {
        Engagements = engagements;
        AgreedAreas = agreedAreas;
        Replies = replies;
        Venues = venues;
    }

    public IReadOnlyList<EngagementRecord> Engagements { get; }

    public IReadOnlyDictionary<Guid, List<string>> AgreedAreas { get; }

    public IReadOnlyDictionary<Guid, List<Domain.AttendeeReply>> Replies { get; }

    /// <summary>Venues those engagements use that the programme's own rows did not bring.</summary>
    public IReadOnlyList<VenueRecord> Venues { get; }

    public static async Task<OtherProgrammes> LoadAsync(
        PlannerDbContext db, Guid? programmeId, IReadOnlyList<VenueRecord> venues, CancellationToken cancellationToken)
    {
        var venueIds = venues.Select(v => v.Id).ToList();
        var engagements = await db.Engagements
            .Where(e => e.ProgrammeId != programmeId && (venueIds.Contains(e.FromVenueId) || venueIds.Contains(e.ToVenueId)))
            .ToListAsync(cancellationToken);
        if (engagements.Count == 0)
        {
            return new OtherProgrammes([], [], [], []);
        }

        var programmeIds = engagements.Select(e => e.ProgrammeId).Distinct().ToList();
        var areas = await db.Programmes.AsNoTracking().Where(p => programmeIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Areas, cancellationToken);
        var replies = await EngagementRows.RepliesOfAsync(db, [.. engagements.Select(e => e.Id)], cancellationToken);
        var missing = engagements.SelectMany(e => new[] { e.FromVenueId, e.ToVenueId }).Distinct().Except(venueIds).ToList();
        var more = await db.Venues.Where(v => missing.Contains(v.Id)).ToListAsync(cancellationToken);
        return new OtherProgrammes(engagements, areas, replies, more);
    }
}

/// <summary>
/// Rows found by a document's externalId: the row with that externalId, or else, when the text is a UUID, the row with
/// that id and no externalId (what an export writes for rows created through the API).
/// </summary>
internal sealed class KeyedRows<T>
    where T : class
{
    private readonly Dictionary<string, T> byExternalId = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, T> byIdWithoutExternalId = [];

    public KeyedRows(IEnumerable<T> rows, Func<T, string?> externalId, Func<T, Guid> id)
    {
        foreach (var row in rows)
        {
            if (externalId(row) is { } key)
            {
                byExternalId[key] = row;
            }
            else
            {
                byIdWithoutExternalId[id(row)] = row;
            }
        }
    }

    public T? Find(string externalId) =>
        byExternalId.TryGetValue(externalId, out var row)
            ? row
            : Guid.TryParse(externalId, out var id) && byIdWithoutExternalId.TryGetValue(id, out row) ? row : null;
}
