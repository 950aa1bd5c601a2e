using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Logistics;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Lists;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CommissionPlanner.Web.Planning;

/// <summary>
/// The read side of hotels and ground transport: vehicles, stays, hotel nights against room blocks, a vehicle's passenger
/// manifest, a hotel's rooming list and a day's transfers, straight from PostgreSQL (grains commit before they answer).
/// </summary>
public sealed class LogisticsQueries(IDbContextFactory<PlannerDbContext> dbFactory)
{
    public async Task<VehicleResource?> Vehicle(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.Vehicles.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, ct);
        return record is null ? null : ToResource(record);
    }

    public async Task<IReadOnlyList<VehicleResource>> Vehicles(Guid programmeId, CancellationToken ct) => (await Vehicles(programmeId, null, ct)).Items;

    /// <summary>The programme's vehicles by label, a page at a time (null: all of them).</summary>
    public async Task<Paged<VehicleResource>> Vehicles(Guid programmeId, KeysetPage<VehicleKey>? page, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Vehicles.AsNoTracking().Where(v => v.ProgrammeId == programmeId);
        if (page?.After is { } after)
        {
            query = query.Where(v => EF.Functions.GreaterThan(ValueTuple.Create(v.Label, v.Id), ValueTuple.Create(after.Label, after.Id)));
        }

        var records = await Paging.Take(query.OrderBy(v => v.Label).ThenBy(v => v.Id), page).ToListAsync(ct);
        var next = Paging.Cut(records, page, v => new VehicleKey(v.Label, v.Id));
        return Paging.Result([.. records.Select(ToResource)], page, next);
    }

    public async Task<StayResource?> Stay(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await StaysAsync(db, db.Stays.Where(s => s.Id == id), null, ct)).Items.SingleOrDefault();
    }

    public async Task<IReadOnlyList<StayResource>> PersonStays(Guid personId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await StaysAsync(db, db.Stays.Where(s => s.PersonId == personId), null, ct)).Items;
    }

    public async Task<IReadOnlyList<StayResource>> ProgrammeStays(Guid programmeId, CancellationToken ct) => (await ProgrammeStays(programmeId, null, ct)).Items;

    /// <summary>The programme's stays by check-in date, a page at a time (null: all of them).</summary>
    public async Task<Paged<StayResource>> ProgrammeStays(Guid programmeId, KeysetPage<StayKey>? page, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await StaysAsync(db, db.Stays.Where(s => s.ProgrammeId == programmeId), page, ct);
    }

    /// <summary>Every hotel night of the programme that has a block or a stay: rooms held, taken and free.</summary>
    public async Task<IReadOnlyList<HotelNightResource>> HotelNights(Guid programmeId, Guid? hotelId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stays = await StayNightsAsync(db, programmeId, ct);
        var blocks = await db.RoomBlocks.AsNoTracking().Where(b => b.ProgrammeId == programmeId)
            .ToDictionaryAsync(b => (b.HotelId, b.Night), b => b.Rooms, ct);
        var hotelIds = stays.Select(s => s.HotelId).Concat(blocks.Keys.Select(k => k.Item1)).Distinct().Where(h => hotelId is null || h == hotelId).ToList();
        var hotels = await db.Venues.AsNoTracking().Where(v => hotelIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, ct);
        return [.. hotelIds
            .OrderBy(h => hotels[h].City, StringComparer.OrdinalIgnoreCase).ThenBy(h => hotels[h].Name, StringComparer.OrdinalIgnoreCase)
            .SelectMany(h => RoomAllocation.Nights(stays, h, blocks))
            .Select(n => new HotelNightResource(n.HotelId, hotels[n.HotelId].Name, WireTime.FormatDate(n.Night), n.Rooms, n.Allocated,
                n.Rooms is { } rooms ? Math.Max(0, rooms - n.Allocated) : null))];
    }

    /// <summary>
    /// The programme's rooming list: one row per room and night, the person whose room it is first and whoever shares it
    /// beside them, hotels by city and name, nights in order, rooms by delegation and protocol order. Optionally one
    /// hotel, one night.
    /// </summary>
    public async Task<IReadOnlyList<RoomingRow>> RoomingList(Guid programmeId, Guid? hotelId, LocalDate? night, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await (
            from s in db.Stays.AsNoTracking().Where(s => s.ProgrammeId == programmeId && (hotelId == null || s.HotelId == hotelId))
            join p in db.People.AsNoTracking() on s.PersonId equals p.Id
            join d in db.Delegations.AsNoTracking() on p.DelegationId equals d.Id
            join h in db.Venues.AsNoTracking() on s.HotelId equals h.Id
            select new { Stay = s, Person = p, Delegation = d.Name, DelegationCreated = d.CreatedAt, Hotel = h })
            .ToListAsync(ct);
        var guestsOf = rows.Where(r => r.Stay.SharingWithPersonId is not null).ToLookup(r => (r.Stay.SharingWithPersonId!.Value, r.Stay.HotelId));
        var result = new List<RoomingRow>();
        foreach (var holder in rows.Where(r => r.Stay.SharingWithPersonId is null)
            .OrderBy(r => r.Hotel.City, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Hotel.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => r.DelegationCreated).ThenBy(r => r.Person.ProtocolOrder))
        {
            foreach (var date in RoomAllocation.Nights(holder.Stay.CheckIn, holder.Stay.CheckOut).Where(d => night is null || d == night))
            {
                var guest = guestsOf[(holder.Person.Id, holder.Stay.HotelId)].FirstOrDefault(g => g.Stay.CheckIn <= date && date < g.Stay.CheckOut);
                result.Add(new RoomingRow(holder.Hotel.Id, holder.Hotel.Name, WireTime.FormatDate(date), holder.Person.Id, holder.Person.FullName,
                    holder.Person.LocalName, holder.Delegation, RoomTypes.ToWire(holder.Stay.RoomType), guest?.Person.FullName,
                    WireTime.FormatDate(holder.Stay.CheckIn), WireTime.FormatDate(holder.Stay.CheckOut), holder.Stay.Confirmation,
                    ReviewStatuses.ToWire(holder.Stay.ReviewStatus)));
            }
        }

        return [.. result.OrderBy(r => r.Hotel, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Night, StringComparer.Ordinal)];
    }

    /// <summary>A vehicle's transfers in time order, each with its passengers (everyone listed who has not declined).</summary>
    public async Task<ManifestResource?> Manifest(Guid vehicleId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var vehicle = await db.Vehicles.AsNoTracking().SingleOrDefaultAsync(v => v.Id == vehicleId, ct);
        if (vehicle is null)
        {
            return null;
        }

        var transfers = await db.Engagements.AsNoTracking().Where(e => e.VehicleId == vehicleId).OrderBy(e => e.StartUtc).ToListAsync(ct);
        return new ManifestResource(ToResource(vehicle), await TransfersAsync(db, transfers, ct));
    }

    /// <summary>
    /// The programme's transfers (travel legs by car) departing on <paramref name="day"/>, local to where they depart, with
    /// their passengers: the transfers board. Legs by car without a vehicle are listed too, so that they can be given one.
    /// </summary>
    public async Task<IReadOnlyList<(ManifestTransfer Transfer, Guid? VehicleId)>> Transfers(Guid programmeId, LocalDate day, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var from = day.PlusDays(-1).AtMidnight();
        var to = day.PlusDays(2).AtMidnight();
        var candidates = await db.Engagements.AsNoTracking()
            .Where(e => e.ProgrammeId == programmeId && e.Kind == EngagementKind.Travel && e.TravelMode == TravelMode.Car
                && e.StartLocal >= from && e.StartLocal < to)
            .OrderBy(e => e.StartUtc)
            .ToListAsync(ct);
        var onDay = candidates.Where(e => e.StartLocal.Date == day).ToList();
        var transfers = await TransfersAsync(db, onDay, ct);
        return [.. transfers.Zip(onDay, (t, e) => (t, e.VehicleId))];
    }

    private static async Task<List<ManifestTransfer>> TransfersAsync(PlannerDbContext db, List<EngagementRecord> transfers, CancellationToken ct)
    {
        var ids = transfers.Select(t => t.Id).ToList();
        var venueIds = transfers.SelectMany(t => new[] { t.FromVenueId, t.ToVenueId }).Distinct().ToList();
        var venues = await db.Venues.AsNoTracking().Where(v => venueIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Name, ct);
        var passengers = (await (
            from a in db.Attendees.AsNoTracking().Where(a => ids.Contains(a.EngagementId) && a.Response != Response.Declined)
            join p in db.People.AsNoTracking() on a.PersonId equals p.Id
            join d in db.Delegations.AsNoTracking() on p.DelegationId equals d.Id
            orderby d.CreatedAt, p.ProtocolOrder
            select new { a.EngagementId, Passenger = new PassengerResource(p.Id, p.FullName, p.LocalName, d.Name, p.Organisation, Responses.ToWire(a.Response)) })
            .ToListAsync(ct)).ToLookup(r => r.EngagementId, r => r.Passenger);
        return [.. transfers.Select(t => new ManifestTransfer(
            t.Id, t.Title, EngagementStatuses.ToWire(t.Status), venues[t.FromVenueId], venues[t.ToVenueId],
            WireTime.FormatLocal(t.StartLocal), t.StartZone, WireTime.FormatLocal(t.EndLocal), t.EndZone, t.TravelReference,
            [.. passengers[t.Id]]))];
    }

    private static async Task<Paged<StayResource>> StaysAsync(PlannerDbContext db, IQueryable<StayRecord> stays, KeysetPage<StayKey>? page, CancellationToken ct)
    {
        if (page?.After is { } after)
        {
            stays = stays.Where(s => EF.Functions.GreaterThan(ValueTuple.Create(s.CheckIn, s.Id), ValueTuple.Create(after.CheckIn, after.Id)));
        }

        var rows = await Paging.Take(
            from s in stays.AsNoTracking()
            join h in db.Venues.AsNoTracking() on s.HotelId equals h.Id
            orderby s.CheckIn, s.Id
            select new { Stay = s, Hotel = h, Sharer = db.People.Where(p => p.Id == s.SharingWithPersonId).Select(p => p.FullName).FirstOrDefault() },
            page).ToListAsync(ct);
        var next = Paging.Cut(rows, page, r => new StayKey(r.Stay.CheckIn, r.Stay.Id));
        return Paging.Result([.. rows.Select(r => PlanningQueries.ToResource(r.Stay, r.Hotel, r.Sharer))], page, next);
    }

    private static Task<List<StayNights>> StayNightsAsync(PlannerDbContext db, Guid programmeId, CancellationToken ct) =>
        (from s in db.Stays.AsNoTracking().Where(s => s.ProgrammeId == programmeId)
         join p in db.People on s.PersonId equals p.Id
         select new StayNights(s.Id, s.PersonId, p.FullName, s.HotelId, s.CheckIn, s.CheckOut, s.SharingWithPersonId))
        .ToListAsync(ct);

    private static VehicleResource ToResource(VehicleRecord v) =>
        new(v.Id, v.ProgrammeId, v.ExternalId, v.Label, v.Seats, v.DriverName, v.DriverPhone, v.Version);
}
