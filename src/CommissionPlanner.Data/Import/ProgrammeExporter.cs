using System.Data;
using System.Globalization;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Planning;
using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Data.Import;

/// <summary>
/// Writes a programme as a <see cref="ProgrammeDocument"/> that imports back to the same programme: delegations in the
/// order they were created, members in protocol order, engagements in time order, attendees in protocol order, and the
/// venues the engagements use in order of first use. A row without an externalId is written with its UUID instead.
/// </summary>
public sealed class ProgrammeExporter(IDbContextFactory<PlannerDbContext> dbFactory)
{
    public async Task<ProgrammeDocument?> ExportAsync(Guid programmeId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // One snapshot for every query, so a concurrent change cannot leave the document half old, half new.
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var programme = await db.Programmes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == programmeId, cancellationToken);
        if (programme is null)
        {
            return null;
        }

        var delegations = await db.Delegations.AsNoTracking().Where(d => d.ProgrammeId == programmeId).ToListAsync(cancellationToken);
        var people = await db.People.AsNoTracking().Where(p => p.ProgrammeId == programmeId).ToListAsync(cancellationToken);
        var engagements = await db.Engagements.AsNoTracking().Where(e => e.ProgrammeId == programmeId).ToListAsync(cancellationToken);
        var attendees = await db.Attendees.AsNoTracking()
            .Where(a => db.Engagements.Any(e => e.Id == a.EngagementId && e.ProgrammeId == programmeId))
            .ToListAsync(cancellationToken);
        var vehicles = await db.Vehicles.AsNoTracking().Where(v => v.ProgrammeId == programmeId).ToListAsync(cancellationToken);
        var blocks = await db.RoomBlocks.AsNoTracking().Where(b => b.ProgrammeId == programmeId).ToListAsync(cancellationToken);
        var stays = await db.Stays.AsNoTracking().Where(s => s.ProgrammeId == programmeId).ToListAsync(cancellationToken);
        var venueIds = engagements.SelectMany(e => new[] { e.FromVenueId, e.ToVenueId })
            .Concat(stays.Select(s => s.HotelId)).Concat(blocks.Select(b => b.HotelId)).Distinct().ToList();
        var venues = await db.Venues.AsNoTracking().Where(v => venueIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var orderedDelegations = delegations.OrderBy(d => d.CreatedAt).ThenBy(d => IdKey(d.Id), StringComparer.Ordinal).ToList();
        var delegationRank = orderedDelegations.Select((d, i) => (d.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var members = people
            .OrderBy(p => delegationRank.GetValueOrDefault(p.DelegationId, int.MaxValue))
            .ThenBy(p => p.ProtocolOrder)
            .ThenBy(p => p.CreatedAt)
            .ThenBy(p => IdKey(p.Id), StringComparer.Ordinal)
            .ToList();
        var protocolRank = members.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var peopleById = people.ToDictionary(p => p.Id);

        var orderedEngagements = engagements
            .OrderBy(e => e.StartUtc)
            .ThenBy(e => e.EndUtc)
            .ThenBy(e => Key(e.ExternalId, e.Id), StringComparer.Ordinal)
            .ToList();
        var attendeesByEngagement = attendees.ToLookup(a => a.EngagementId);

        var orderedStays = stays
            .OrderBy(x => x.CheckIn)
            .ThenBy(x => x.SharingWithPersonId is null ? 0 : 1)
            .ThenBy(x => protocolRank.GetValueOrDefault(x.PersonId, int.MaxValue))
            .ThenBy(x => Key(x.ExternalId, x.Id), StringComparer.Ordinal)
            .ToList();
        var orderedBlocks = blocks.OrderBy(b => b.HotelId).ThenBy(b => b.Night).ToList();
        var usedVenues = orderedEngagements
            .SelectMany(e => new[] { e.FromVenueId, e.ToVenueId })
            .Concat(orderedStays.Select(x => x.HotelId))
            .Concat(orderedBlocks.Select(b => b.HotelId))
            .Distinct()
            .Where(venues.ContainsKey)
            .Select(id => venues[id])
            .ToList();

        return new ProgrammeDocument(
            ProgrammeDocument.FormatId,
            Notes: null,
            new ProgrammeData(
                Key(programme.ExternalId, programme.Id), programme.Name, WireTime.FormatDate(programme.StartDate),
                WireTime.FormatDate(programme.EndDate), programme.TimeZone, [.. programme.Areas], programme.NotificationsEnabled, programme.NameZh),
            [.. usedVenues.Select(ToData)],
            [.. orderedDelegations.Select(d => new DelegationData(
                Key(d.ExternalId, d.Id), d.Name, d.Country,
                [.. members.Where(p => p.DelegationId == d.Id).Select(ToData)]))],
            [.. orderedEngagements.Select(e => ToData(e, venues, peopleById, protocolRank,
                attendeesByEngagement[e.Id], vehicles))],
            Vehicles: vehicles.Count == 0 ? null : [.. vehicles.OrderBy(v => v.CreatedAt).ThenBy(v => IdKey(v.Id), StringComparer.Ordinal)
                .Select(v => new VehicleData(Key(v.ExternalId, v.Id), v.Label, v.Seats, v.DriverName, v.DriverPhone))],
            RoomBlocks: blocks.Count == 0 ? null : [.. RoomBlockRuns(orderedBlocks, venues)],
            Stays: stays.Count == 0 ? null : [.. orderedStays.Select(x => ToData(x, venues, peopleById))]);
    }

    private static VenueData ToData(VenueRecord v) => new(
        Key(v.ExternalId, v.Id), v.Name, v.LocalName, v.Address, v.City, v.Country, v.TimeZone, v.Latitude, v.Longitude,
        v.Capacity, v.Sensitive);

    private static MemberData ToData(PersonRecord p) => new(
        Key(p.ExternalId, p.Id), p.FullName, p.LocalName, p.Organisation, p.Title, p.Email, DelegateRoles.ToWire(p.Role), p.Languages, p.Interprets);

    private static EngagementData ToData(
        EngagementRecord e, Dictionary<Guid, VenueRecord> venues, Dictionary<Guid, PersonRecord> people,
        Dictionary<Guid, int> protocolRank, IEnumerable<AttendeeRecord> attendees, List<VehicleRecord> vehicles)
    {
        var vehicle = e.VehicleId is { } vehicleId ? vehicles.Find(v => v.Id == vehicleId) : null;
        var from = venues.GetValueOrDefault(e.FromVenueId);
        var to = venues.GetValueOrDefault(e.ToVenueId);
        var fromKey = from is null ? e.FromVenueId.ToString() : Key(from.ExternalId, from.Id);
        var toKey = to is null ? e.ToVenueId.ToString() : Key(to.ExternalId, to.Id);
        var listed = attendees
            .Where(a => people.ContainsKey(a.PersonId))
            .OrderBy(a => protocolRank[a.PersonId])
            .Select(a => new AttendeeData(Key(people[a.PersonId].ExternalId, a.PersonId), AttendeeRoles.ToWire(a.Role), Responses.ToWire(a.Response)))
            .ToList();

        var start = WireTime.FormatLocal(e.StartLocal);
        var end = WireTime.FormatLocal(e.EndLocal);
        if (e.Kind == EngagementKind.Travel)
        {
            return new EngagementData(
                Key(e.ExternalId, e.Id), EngagementKinds.ToWire(e.Kind), e.Title, Venue: null, From: fromKey, To: toKey, Start: null, End: null,
                Departure: start, Arrival: end, TimeZone: null, Areas: e.Areas.Count == 0 ? null : [.. e.Areas], e.Capacity, e.Host,
                e.Description, TravelModes.ToWire(e.TravelMode), e.TravelReference, EngagementStatuses.ToWire(e.Status), listed,
                vehicle is null ? null : Key(vehicle.ExternalId, vehicle.Id), e.TitleZh, e.DescriptionZh);
        }

        // The zone is implied by the venue unless the engagement was planned in another one.
        var zone = from is not null && from.TimeZone == e.StartZone ? null : e.StartZone;
        return new EngagementData(
            Key(e.ExternalId, e.Id), EngagementKinds.ToWire(e.Kind), e.Title, Venue: fromKey, From: null, To: null, Start: start, End: end,
            Departure: null, Arrival: null, TimeZone: zone, Areas: [.. e.Areas], e.Capacity, e.Host, e.Description,
            Mode: null, Reference: null, EngagementStatuses.ToWire(e.Status), listed, TitleZh: e.TitleZh, DescriptionZh: e.DescriptionZh);
    }

    /// <summary>The blocks as runs of consecutive nights at one hotel holding the same rooms: one entry per run.</summary>
    private static IEnumerable<RoomBlockData> RoomBlockRuns(List<RoomBlockRecord> ordered, Dictionary<Guid, VenueRecord> venues)
    {
        for (var i = 0; i < ordered.Count;)
        {
            var first = ordered[i];
            var j = i;
            while (j + 1 < ordered.Count && ordered[j + 1].HotelId == first.HotelId && ordered[j + 1].Rooms == first.Rooms
                && ordered[j + 1].Night == ordered[j].Night.PlusDays(1))
            {
                j++;
            }

            var hotel = venues.GetValueOrDefault(first.HotelId);
            yield return new RoomBlockData(hotel is null ? first.HotelId.ToString() : Key(hotel.ExternalId, hotel.Id),
                WireTime.FormatDate(first.Night), WireTime.FormatDate(ordered[j].Night), first.Rooms);
            i = j + 1;
        }
    }

    private static StayData ToData(StayRecord s, Dictionary<Guid, VenueRecord> venues, Dictionary<Guid, PersonRecord> people)
    {
        var hotel = venues.GetValueOrDefault(s.HotelId);
        string PersonKey(Guid id) => people.TryGetValue(id, out var p) ? Key(p.ExternalId, p.Id) : id.ToString();
        return new StayData(Key(s.ExternalId, s.Id), PersonKey(s.PersonId), hotel is null ? s.HotelId.ToString() : Key(hotel.ExternalId, hotel.Id),
            WireTime.FormatDate(s.CheckIn), WireTime.FormatDate(s.CheckOut), RoomTypes.ToWire(s.RoomType),
            s.SharingWithPersonId is { } host ? PersonKey(host) : null, s.Confirmation);
    }

    private static string Key(string? externalId, Guid id) => externalId ?? id.ToString();

    private static string IdKey(Guid id) => id.ToString("N", CultureInfo.InvariantCulture);
}
