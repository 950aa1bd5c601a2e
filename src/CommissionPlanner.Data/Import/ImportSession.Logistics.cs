using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Logistics;
using CommissionPlanner.Domain.Planning;
using NodaTime;

namespace CommissionPlanner.Data.Import;

/// <summary>
/// Hotels and ground transport in a document: vehicles, room blocks and stays, checked with the same rules as the API's
/// grains (StaySpecs, RoomAllocation, TransferRules) over the programme as the document leaves it, and written with the
/// rest in the import's one transaction (under the programme's stays lock, which ExistingProgramme takes).
/// </summary>
internal sealed partial class ImportSession
{
    private readonly List<VehicleEntry> vehicles = [];
    private readonly Dictionary<string, VehicleEntry> vehiclesByExternalId = new(StringComparer.Ordinal);
    private readonly List<RoomBlockEntry> roomBlocks = [];
    private readonly List<StayEntry> stays = [];

    private readonly HashSet<Guid> changedVehicles = [];
    private readonly HashSet<Guid> changedStays = [];
    private readonly HashSet<Guid> newlySensitiveVenues = [];
    private readonly Tally vehicleCounts = new();
    private readonly Tally roomNightCounts = new();
    private readonly Tally stayCounts = new();

    // ---------------------------------------------------------------------------------------------------------
    // Validation

    private void ValidateVehicles()
    {
        var matched = new Dictionary<Guid, string>();
        var items = document.Vehicles ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"vehicles[{i}]";
            if (items[i] is not { } vehicle)
            {
                errors.Add(path, "Each vehicle must be an object {externalId, label, seats, driverName, driverPhone}.");
                continue;
            }

            var externalId = ExternalId(path, vehicle.ExternalId);
            var local = new FieldErrors();
            var spec = StaySpecs.Validate(new VehicleInput(vehicle.Label, vehicle.Seats, vehicle.DriverName, vehicle.DriverPhone), local);
            errors.Merge(path, local);
            var entry = new VehicleEntry(path, externalId, spec);
            vehicles.Add(entry);
            if (externalId is null)
            {
                continue;
            }

            if (!vehiclesByExternalId.TryAdd(externalId, entry))
            {
                errors.Add($"{path}.externalId", $"The externalId '{externalId}' is also used by {vehiclesByExternalId[externalId].Path}.");
                continue;
            }

            entry.Record = existing.Vehicles.Find(externalId);
            if (entry.Record is not null && !matched.TryAdd(entry.Record.Id, path))
            {
                errors.Add($"{path}.externalId", $"'{externalId}' names the same stored vehicle as {matched[entry.Record.Id]}.");
                entry.Record = null;
            }
        }

        AssignIds(vehicles, v => v.Record?.Id, (v, id) => v.Id = id);
    }

    /// <summary>An engagement's <c>vehicle</c>: a vehicle externalId of this document.</summary>
    private VehicleRef? FindVehicle(string reference) =>
        vehiclesByExternalId.TryGetValue(reference, out var vehicle) ? new VehicleRef(vehicle.Id) : null;

    private VenueRef? FindHotel(string reference) =>
        venuesByExternalId.TryGetValue(reference, out var venue) && venue.Spec is not null ? new VenueRef(venue.Id, venue.Spec.TimeZone) : null;

    private void ValidateRoomBlocks()
    {
        var items = document.RoomBlocks ?? [];
        var nights = new Dictionary<(Guid, LocalDate), string>();
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"roomBlocks[{i}]";
            if (items[i] is not { } block)
            {
                errors.Add(path, "Each room block must be an object {hotel, firstNight, lastNight, rooms}.");
                continue;
            }

            var local = new FieldErrors();
            var plan = StaySpecs.Validate(new RoomBlockInput(Clean(block.Hotel), block.FirstNight, block.LastNight, block.Rooms), FindHotel, local);
            MergeRenamed(path, local, [("hotelId", "hotel")], UnknownVenue);
            if (plan is null)
            {
                continue;
            }

            var overlap = plan.Nights.FirstOrDefault(n => nights.ContainsKey((plan.HotelId, n)));
            if (overlap != default)
            {
                errors.Add(path, $"The night of {overlap:uuuu-MM-dd} at this hotel is also held by {nights[(plan.HotelId, overlap)]}: give each night once.");
                continue;
            }

            foreach (var night in plan.Nights)
            {
                nights[(plan.HotelId, night)] = path;
            }

            roomBlocks.Add(new RoomBlockEntry(path, plan));
        }
    }

    private void ValidateStays()
    {
        var matched = new Dictionary<Guid, string>();
        var byExternalId = new Dictionary<string, string>(StringComparer.Ordinal);
        var items = document.Stays ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"stays[{i}]";
            if (items[i] is not { } stay)
            {
                errors.Add(path, "Each stay must be an object {externalId, person, hotel, checkIn, checkOut, roomType, sharingWith, confirmation}.");
                continue;
            }

            var externalId = ExternalId(path, stay.ExternalId);
            var local = new FieldErrors();
            var person = Clean(stay.Person) is { } reference ? membersByExternalId.GetValueOrDefault(reference) : null;
            if (person is null)
            {
                local.Add("person", Clean(stay.Person) is null
                    ? "'person' is required: the externalId of a delegation member in this document."
                    : $"'{Clean(stay.Person)}' is not the externalId of a delegation member in this document.");
            }

            var plan = StaySpecs.Validate(
                new StayInput(Clean(stay.Hotel), stay.CheckIn, stay.CheckOut, stay.RoomType, Clean(stay.SharingWith), stay.Confirmation),
                FindHotel,
                reference => membersByExternalId.TryGetValue(reference, out var member) ? new PersonRef(member.Id, programmeId) : null,
                local);
            MergeRenamed(path, local, [("hotelId", "hotel")], UnknownVenue);
            var entry = new StayEntry(path, externalId, person, plan);
            if (externalId is not null)
            {
                if (!byExternalId.TryAdd(externalId, path))
                {
                    errors.Add($"{path}.externalId", $"The externalId '{externalId}' is also used by {byExternalId[externalId]}.");
                }
                else
                {
                    entry.Record = existing.Stays.Find(externalId);
                    if (entry.Record is not null && !matched.TryAdd(entry.Record.Id, path))
                    {
                        errors.Add($"{path}.externalId", $"'{externalId}' names the same stored stay as {matched[entry.Record.Id]}.");
                        entry.Record = null;
                    }
                }
            }

            stays.Add(entry);
        }

        AssignIds(stays, s => s.Record?.Id, (s, id) => s.Id = id);
    }

    /// <summary>
    /// The rules that need the whole document: seats against passengers and one transfer at a time for every vehicle, and
    /// for every stay and block the document writes, RoomAllocation over the programme's stays and blocks as they will be.
    /// </summary>
    private void CheckLogistics()
    {
        CheckTransfers();
        CheckStays();
    }

    private void CheckTransfers()
    {
        var seats = vehicles.Where(v => v.Spec is not null).ToDictionary(v => v.Id, v => v.Spec!.Seats);
        foreach (var stored in existing.AllVehicles.Where(v => !seats.ContainsKey(v.Id)))
        {
            seats[stored.Id] = stored.Seats;
        }

        var transfers = new List<(VehicleTransfer Transfer, string Path)>();
        var inDocument = new HashSet<Guid>();
        foreach (var entry in engagements)
        {
            if (entry.Record is not null)
            {
                inDocument.Add(entry.Record.Id);
            }

            if (entry.Plan is { VehicleId: { } vehicleId } plan)
            {
                var listed = entry.Attendees.Select(a => a.Person.Id).ToHashSet();
                var stored = existing.AttendeesByEngagement.GetValueOrDefault(entry.Id) ?? [];
                var passengers = entry.Attendees.Count(a => (a.Response ?? existing.Attendees.GetValueOrDefault((entry.Id, a.Person.Id))?.Response) != Response.Declined)
                    + stored.Count(a => !listed.Contains(a.PersonId) && a.Response != Response.Declined);
                transfers.Add((new VehicleTransfer(entry.Id, plan.Title, vehicleId, plan.StartUtc, plan.EndUtc, passengers,
                    entry.Status == EngagementStatus.Cancelled), entry.Path));
            }
        }

        var storedTransfers = existing.AllEngagements.Where(e => e.VehicleId is not null && !inDocument.Contains(e.Id)).ToList();
        foreach (var record in storedTransfers)
        {
            var passengers = (existing.AttendeesByEngagement.GetValueOrDefault(record.Id) ?? []).Count(a => a.Response != Response.Declined);
            transfers.Add((new VehicleTransfer(record.Id, record.Title, record.VehicleId!.Value, record.StartUtc, record.EndUtc, passengers,
                record.Status == EngagementStatus.Cancelled), "engagements"));
        }

        var paths = transfers.ToDictionary(t => t.Transfer.EngagementId, t => t.Path);
        foreach (var (transfer, path) in transfers)
        {
            if (seats.TryGetValue(transfer.VehicleId, out var available)
                && TransferRules.SeatsProblem(transfer.Title, available, transfer.Passengers) is { } problem)
            {
                errors.Add(path == "engagements" ? VehiclePath(transfer.VehicleId) : $"{path}.attendees", problem);
            }
        }

        foreach (var (first, second) in TransferRules.DoubleBookings(transfers.Select(t => t.Transfer)))
        {
            var at = paths[second.EngagementId] is var path && path != "engagements" ? $"{path}.vehicle" : $"{paths[first.EngagementId]}.vehicle";
            errors.Add(at, $"The vehicle would be in two transfers at once: '{first.Title}' and '{second.Title}' overlap.");
        }
    }

    private string VehiclePath(Guid vehicleId) => vehicles.FirstOrDefault(v => v.Id == vehicleId)?.Path is { } path ? $"{path}.seats" : "vehicles";

    private void CheckStays()
    {
        // The programme's stays as the document leaves them: stored ones it does not list, then its own.
        var listed = stays.Where(s => s.Record is not null).Select(s => s.Record!.Id).ToHashSet();
        var final = existing.AllStays.Where(s => !listed.Contains(s.Id))
            .Select(s => new StayNights(s.Id, s.PersonId, StoredName(s.PersonId), s.HotelId, s.CheckIn, s.CheckOut, s.SharingWithPersonId))
            .ToList();
        var candidates = new List<(StayEntry Entry, StayNights Nights)>();
        foreach (var entry in stays.Where(s => s.Plan is not null && s.Person is not null))
        {
            var plan = entry.Plan!;
            var nights = new StayNights(entry.Id, entry.Person!.Id, entry.Person.Spec?.FullName ?? entry.Person.ExternalId ?? string.Empty,
                plan.HotelId, plan.CheckIn, plan.CheckOut, plan.SharingWith);
            candidates.Add((entry, nights));
            final.Add(nights);
        }

        var blocks = existing.RoomBlocks.ToDictionary(b => b.Key, b => b.Value.Rooms);
        foreach (var block in roomBlocks)
        {
            foreach (var night in block.Plan.Nights)
            {
                blocks[(block.Plan.HotelId, night)] = block.Plan.Rooms;
            }
        }

        foreach (var block in roomBlocks)
        {
            if (RoomAllocation.CheckBlock(final, block.Plan.HotelId, block.Plan.Nights, block.Plan.Rooms) is { } refusal)
            {
                errors.Add($"{block.Path}.rooms", refusal.Detail);
            }
        }

        foreach (var (entry, nights) in candidates)
        {
            var others = final.Where(s => s.StayId != nights.StayId).ToList();
            if (RoomAllocation.CheckStay(others, replacing: null, nights, blocks) is { } refusal)
            {
                errors.Add(entry.Path, refusal.Detail);
            }
        }

        // A host the document moves must still cover the guests the document does not move (CheckStay above covers the
        // guests it lists: each is checked against its host's final stay).
        foreach (var (entry, nights) in candidates.Where(c => c.Entry.Record is not null))
        {
            var record = entry.Record!;
            var before = new StayNights(record.Id, record.PersonId, nights.PersonName, record.HotelId, record.CheckIn, record.CheckOut, record.SharingWithPersonId);
            var others = final.Where(s => s.StayId != nights.StayId && !candidates.Any(c => c.Nights.StayId == s.StayId)).ToList();
            if (RoomAllocation.CheckStay(others, before, nights, new Dictionary<(Guid, LocalDate), int>()) is { } refusal)
            {
                errors.Add(entry.Path, refusal.Detail);
            }
        }
    }

    private string StoredName(Guid personId) =>
        membersByExternalId.Values.FirstOrDefault(m => m.Id == personId)?.Spec?.FullName
        ?? existing.PeopleById.GetValueOrDefault(personId)?.FullName ?? personId.ToString();

    /// <summary>
    /// Merges a spec's errors under <paramref name="path"/> with the API's field names (<paramref name="renames"/>) and
    /// sentences (<paramref name="texts"/>) turned into the document's.
    /// </summary>
    private void MergeRenamed(string path, FieldErrors local, (string Api, string Document)[] renames, params (string Api, string Document)[] texts)
    {
        foreach (var (field, messages) in local.ToDictionary())
        {
            var name = renames.FirstOrDefault(r => r.Api == field).Document ?? field;
            foreach (var message in messages)
            {
                var text = message;
                foreach (var (api, doc) in texts)
                {
                    text = text.Replace(api, doc, StringComparison.Ordinal);
                }

                foreach (var (api, doc) in renames)
                {
                    text = text.Replace($"'{api}'", $"'{doc}'", StringComparison.Ordinal);
                }

                errors.Add($"{path}.{name}", text);
            }
        }
    }

    private static readonly (string Api, string Document) UnknownVenue =
        ("does not name a known venue.", "does not name a venue in this document's 'venues'.");

    private static readonly (string Api, string Document) UnknownVehicle =
        ("does not name a known vehicle.", "does not name a vehicle in this document's 'vehicles'.");

    // ---------------------------------------------------------------------------------------------------------
    // Writing

    private void StageVehicle(PlannerDbContext db, VehicleEntry vehicle)
    {
        var spec = vehicle.Spec!;
        if (vehicle.Record is not { } record)
        {
            db.Vehicles.Add(new VehicleRecord
            {
                Id = vehicle.Id, ProgrammeId = programmeId, ExternalId = vehicle.ExternalId, Label = spec.Label, Seats = spec.Seats,
                DriverName = spec.DriverName, DriverPhone = spec.DriverPhone, Version = 1, CreatedAt = now, UpdatedAt = now,
            });
            vehicleCounts.Created++;
            changedVehicles.Add(vehicle.Id);
            return;
        }

        var changed = new Change();
        changed.Set(record.Label, spec.Label, v => record.Label = v);
        changed.Set(record.Seats, spec.Seats, v => record.Seats = v);
        changed.Set(record.DriverName, spec.DriverName, v => record.DriverName = v);
        changed.Set(record.DriverPhone, spec.DriverPhone, v => record.DriverPhone = v);
        if (changed.Any)
        {
            record.Version++;
            record.UpdatedAt = now;
            changedVehicles.Add(record.Id);
        }

        vehicleCounts.Count(changed.Any);
    }

    private void StageRoomBlock(PlannerDbContext db, RoomBlockEntry block)
    {
        foreach (var night in block.Plan.Nights)
        {
            if (existing.RoomBlocks.GetValueOrDefault((block.Plan.HotelId, night)) is { } record)
            {
                var changed = record.Rooms != block.Plan.Rooms;
                if (changed)
                {
                    record.Rooms = block.Plan.Rooms;
                    record.UpdatedAt = now;
                }

                roomNightCounts.Count(changed);
                continue;
            }

            db.RoomBlocks.Add(new RoomBlockRecord { ProgrammeId = programmeId, HotelId = block.Plan.HotelId, Night = night, Rooms = block.Plan.Rooms, UpdatedAt = now });
            roomNightCounts.Created++;
        }
    }

    private void StageStay(PlannerDbContext db, StayEntry stay)
    {
        var plan = stay.Plan!;
        var sensitive = venues.FirstOrDefault(v => v.Id == plan.HotelId)?.Spec?.Sensitive ?? false;
        if (stay.Record is not { } record)
        {
            db.Stays.Add(new StayRecord
            {
                Id = stay.Id, ProgrammeId = programmeId, PersonId = stay.Person!.Id, ExternalId = stay.ExternalId, HotelId = plan.HotelId,
                CheckIn = plan.CheckIn, CheckOut = plan.CheckOut, RoomType = plan.RoomType, SharingWithPersonId = plan.SharingWith,
                Confirmation = plan.Confirmation, ReviewStatus = StayReviews.Initial(sensitive), Sequence = 0, Version = 1,
                CreatedAt = now, UpdatedAt = now,
            });
            stayCounts.Created++;
            changedStays.Add(stay.Id);
            changedPeople.Add(stay.Person.Id);
            return;
        }

        var changed = new Change();
        var moved = new Change();
        var review = record.HotelId != plan.HotelId
            ? StayReviews.AfterHotelChange(sensitive, everDecided: record.ReviewAt is not null)
            : VenueBecameSensitive(plan.HotelId) ? StayReviews.AfterHotelMarkedSensitive(record.ReviewStatus) : record.ReviewStatus;
        changed.Set(record.ReviewStatus, review, v => record.ReviewStatus = v);
        changed.Set(record.PersonId, stay.Person!.Id, v => record.PersonId = v);
        moved.Set(record.HotelId, plan.HotelId, v => record.HotelId = v);
        moved.Set(record.CheckIn, plan.CheckIn, v => record.CheckIn = v);
        moved.Set(record.CheckOut, plan.CheckOut, v => record.CheckOut = v);
        changed.Set(record.RoomType, plan.RoomType, v => record.RoomType = v);
        changed.Set(record.SharingWithPersonId, plan.SharingWith, v => record.SharingWithPersonId = v);
        changed.Set(record.Confirmation, plan.Confirmation, v => record.Confirmation = v);
        if (changed.Any || moved.Any)
        {
            record.Version++;
            record.Sequence += moved.Any ? 1 : 0;
            record.UpdatedAt = now;
            changedStays.Add(record.Id);
            changedPeople.Add(record.PersonId);
        }

        stayCounts.Count(changed.Any || moved.Any);
    }

    /// <summary>Stays the document does not list at a hotel it newly marks sensitive need a review too.</summary>
    private void StageSensitiveHotels()
    {
        var listed = stays.Where(s => s.Record is not null).Select(s => s.Record!.Id).ToHashSet();
        foreach (var record in existing.AllStays.Where(s => !listed.Contains(s.Id) && VenueBecameSensitive(s.HotelId)))
        {
            var review = StayReviews.AfterHotelMarkedSensitive(record.ReviewStatus);
            if (review != record.ReviewStatus)
            {
                record.ReviewStatus = review;
                record.Version++;
                record.UpdatedAt = now;
                changedStays.Add(record.Id);
                changedPeople.Add(record.PersonId);
            }
        }
    }

    private bool VenueBecameSensitive(Guid venueId) => newlySensitiveVenues.Contains(venueId);

    private sealed class VehicleEntry(string path, string? externalId, VehicleSpec? spec)
    {
        public string Path { get; } = path;
        public string? ExternalId { get; } = externalId;
        public VehicleSpec? Spec { get; } = spec;
        public VehicleRecord? Record { get; set; }
        public Guid Id { get; set; }
    }

    private sealed record RoomBlockEntry(string Path, RoomBlockPlan Plan);

    private sealed class StayEntry(string path, string? externalId, MemberEntry? person, StayPlan? plan)
    {
        public string Path { get; } = path;
        public string? ExternalId { get; } = externalId;
        public MemberEntry? Person { get; } = person;
        public StayPlan? Plan { get; } = plan;
        public StayRecord? Record { get; set; }
        public Guid Id { get; set; }
    }
}
