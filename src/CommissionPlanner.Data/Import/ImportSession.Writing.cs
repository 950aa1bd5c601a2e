using CommissionPlanner.Data.Queries;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Planning;
using NodaTime;

namespace CommissionPlanner.Data.Import;

/// <summary>Writing a valid document: the tracked rows changed in place, the new ones added, the attendees last.</summary>
internal sealed partial class ImportSession
{
    /// <summary>
    /// Applies the (valid) document to the tracked rows and adds the new ones, except the attendees' final state: stored
    /// bookings that change are released (holds_time = false) first, so that the database's no-double-booking constraint,
    /// checked row by row, never sees a half-moved programme. Save, then call <see cref="StageAttendees"/> and save again.
    /// </summary>
    public void StageChanges(PlannerDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (errors.Any || programmeSpec is null || programmeExternalId is null)
        {
            throw new InvalidOperationException("Only a valid document can be written.");
        }

        // Before the venues' rows take the document's values: a stay's review depends on what its hotel was.
        newlySensitiveVenues.UnionWith(venues.Where(v => v.Record is { Sensitive: false } && v.Spec is { Sensitive: true }).Select(v => v.Id));
        StageProgramme(db);
        foreach (var venue in venues)
        {
            StageVenue(db, venue);
        }

        foreach (var delegation in delegations)
        {
            StageDelegation(db, delegation);
            foreach (var member in delegation.Members)
            {
                StagePerson(db, member);
            }
        }

        foreach (var vehicle in vehicles)
        {
            StageVehicle(db, vehicle);
        }

        foreach (var engagement in engagements)
        {
            StageEngagement(db, engagement);
        }

        foreach (var block in roomBlocks)
        {
            StageRoomBlock(db, block);
        }

        foreach (var stay in stays)
        {
            StageStay(db, stay);
        }

        StageSensitiveHotels();

        PlanAttendees();
        ApplyRules(db);
        foreach (var write in attendeeWrites.Where(w => w.Stored is { HoldsTime: true }))
        {
            write.Stored!.HoldsTime = false;
        }
    }

    /// <summary>
    /// Writes the attendees' final state: the second half of <see cref="StageChanges"/>. The stored ones are changed in
    /// place (tracked); the new ones are returned, not tracked, for <see cref="AttendeeInserts"/> to write after the save.
    /// </summary>
    public List<AttendeeRecord> StageAttendees(PlannerDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var added = new List<AttendeeRecord>();
        foreach (var write in attendeeWrites)
        {
            if (write.Stored is { } stored)
            {
                stored.Role = write.Final.Role;
                stored.Response = write.Final.Response;
                stored.AcceptanceOrder = write.Final.AcceptanceOrder;
                stored.RespondedAt = write.Final.RespondedAt;
                stored.Occupied = write.Final.Occupied;
                stored.HoldsTime = write.Final.HoldsTime;
            }
            else
            {
                added.Add(write.Final);
            }
        }

        return added;
    }

    public ImportSummary Summary() => new(programmeId, CreatedProgramme: existing.Programme is null, new ImportCountsByKind(
        programmeCounts.ToCounts(), venueCounts.ToCounts(), delegationCounts.ToCounts(), personCounts.ToCounts(),
        engagementCounts.ToCounts(), attendeeCounts.ToCounts(), vehicleCounts.ToCounts(), roomNightCounts.ToCounts(), stayCounts.ToCounts()));

    public ImportChanges Changes() => new(
        [.. changedVenues], [.. changedDelegations], [.. changedPeople], [.. changedEngagements], [.. changedVehicles], [.. changedStays]);

    private readonly Tally programmeCounts = new();
    private readonly Tally venueCounts = new();
    private readonly Tally delegationCounts = new();
    private readonly Tally personCounts = new();
    private readonly Tally engagementCounts = new();
    private readonly Tally attendeeCounts = new();

    private void StageProgramme(PlannerDbContext db)
    {
        var spec = programmeSpec!;
        if (existing.Programme is not { } record)
        {
            db.Programmes.Add(new ProgrammeRecord
            {
                Id = programmeId, ExternalId = programmeExternalId, Name = spec.Name, NameZh = spec.NameZh, StartDate = spec.StartDate, EndDate = spec.EndDate,
                TimeZone = spec.TimeZone, Areas = [.. spec.Areas], Version = 1, CreatedAt = now, UpdatedAt = now,
                // On from the start: everyone the document puts on a list is told, as invited.
                NotificationsEnabled = spec.NotificationsEnabled ?? false,
            });
            programmeCounts.Created++;
            return;
        }

        var changed = new Change();
        changed.Set(record.Name, spec.Name, v => record.Name = v);
        changed.Set(record.NameZh, spec.NameZh, v => record.NameZh = v);
        changed.Set(record.StartDate, spec.StartDate, v => record.StartDate = v);
        changed.Set(record.EndDate, spec.EndDate, v => record.EndDate = v);
        changed.Set(record.TimeZone, spec.TimeZone, v => record.TimeZone = v);
        changed.SetList(record.Areas, spec.Areas, v => record.Areas = v);
        if (changed.Any)
        {
            record.Version++;
            record.UpdatedAt = now;
        }

        programmeCounts.Count(changed.Any);
    }

    private void StageVenue(PlannerDbContext db, VenueEntry venue)
    {
        var spec = venue.Spec!;
        if (venue.Record is not { } record)
        {
            db.Venues.Add(new VenueRecord
            {
                Id = venue.Id, ExternalId = venue.ExternalId, Name = spec.Name, LocalName = spec.LocalName, Address = spec.Address,
                City = spec.City, Country = spec.Country, TimeZone = spec.TimeZone, Latitude = spec.Point.Latitude,
                Longitude = spec.Point.Longitude, Capacity = spec.Capacity, Sensitive = spec.Sensitive,
                Version = 1, CreatedAt = now, UpdatedAt = now,
            });
            venueCounts.Created++;
            changedVenues.Add(venue.Id);
            return;
        }

        var changed = new Change();
        changed.Set(record.Name, spec.Name, v => record.Name = v);
        changed.Set(record.LocalName, spec.LocalName, v => record.LocalName = v);
        changed.Set(record.Address, spec.Address, v => record.Address = v);
        changed.Set(record.City, spec.City, v => record.City = v);
        changed.Set(record.Country, spec.Country, v => record.Country = v);
        changed.Set(record.TimeZone, spec.TimeZone, v => record.TimeZone = v);
        changed.Set(record.Latitude, spec.Point.Latitude, v => record.Latitude = v);
        changed.Set(record.Longitude, spec.Point.Longitude, v => record.Longitude = v);
        changed.Set(record.Capacity, spec.Capacity, v => record.Capacity = v);
        changed.Set(record.Sensitive, spec.Sensitive, v => record.Sensitive = v);
        if (changed.Any)
        {
            record.Version++;
            record.UpdatedAt = now;
            changedVenues.Add(record.Id);
        }

        venueCounts.Count(changed.Any);
    }

    private void StageDelegation(PlannerDbContext db, DelegationEntry delegation)
    {
        var spec = delegation.Spec!;
        if (delegation.Record is not { } record)
        {
            db.Delegations.Add(new DelegationRecord
            {
                Id = delegation.Id, ProgrammeId = programmeId, ExternalId = delegation.ExternalId, Name = spec.Name, Country = spec.Country,
                Version = 1, CreatedAt = now, UpdatedAt = now,
            });
            delegationCounts.Created++;
            changedDelegations.Add(delegation.Id);
            return;
        }

        var changed = new Change();
        changed.Set(record.Name, spec.Name, v => record.Name = v);
        changed.Set(record.Country, spec.Country, v => record.Country = v);
        if (changed.Any)
        {
            record.Version++;
            record.UpdatedAt = now;
            changedDelegations.Add(record.Id);
        }

        delegationCounts.Count(changed.Any);
    }

    private void StagePerson(PlannerDbContext db, MemberEntry member)
    {
        var spec = member.Spec!;
        if (member.Record is not { } record)
        {
            db.People.Add(new PersonRecord
            {
                Id = member.Id, DelegationId = member.Delegation.Id, ProgrammeId = programmeId, ExternalId = member.ExternalId,
                FullName = spec.FullName, LocalName = spec.LocalName, Organisation = spec.Organisation, Title = spec.Title,
                Email = spec.Email, Role = spec.Role, ProtocolOrder = member.ProtocolOrder, Version = 1, CreatedAt = now, UpdatedAt = now,
                Languages = [.. member.Languages?.Languages ?? []], Interprets = [.. member.Languages?.InterpretsWire ?? []],
            });
            personCounts.Created++;
            changedPeople.Add(member.Id);
            return;
        }

        var changed = new Change();
        changed.Set(record.DelegationId, member.Delegation.Id, v => record.DelegationId = v);
        changed.Set(record.FullName, spec.FullName, v => record.FullName = v);
        changed.Set(record.LocalName, spec.LocalName, v => record.LocalName = v);
        changed.Set(record.Organisation, spec.Organisation, v => record.Organisation = v);
        changed.Set(record.Title, spec.Title, v => record.Title = v);
        changed.Set(record.Email, spec.Email, v => record.Email = v);
        changed.Set(record.Role, spec.Role, v => record.Role = v);
        changed.Set(record.ProtocolOrder, member.ProtocolOrder, v => record.ProtocolOrder = v);
        if (member.Languages is { } languages)
        {
            changed.SetList(record.Languages, languages.Languages, v => record.Languages = v);
            changed.SetList(record.Interprets, languages.InterpretsWire, v => record.Interprets = v);
        }

        if (changed.Any)
        {
            record.Version++;
            record.UpdatedAt = now;
            changedPeople.Add(record.Id);
        }

        personCounts.Count(changed.Any);
    }

    private void StageEngagement(PlannerDbContext db, EngagementEntry engagement)
    {
        var plan = engagement.Plan!;
        var status = engagement.Status;
        var review = engagement.Review;
        var mode = plan.Mode;
        if (engagement.Record is not { } record)
        {
            var cancelled = engagement.Status == EngagementStatus.Cancelled;
            engagement.Final = new EngagementRecord
            {
                Id = engagement.Id, ProgrammeId = programmeId, ExternalId = engagement.ExternalId, Kind = plan.Kind,
                Title = plan.Title, Status = status, FromVenueId = plan.FromVenueId, ToVenueId = plan.ToVenueId,
                StartLocal = plan.StartLocal, StartZone = plan.StartZone, EndLocal = plan.EndLocal, EndZone = plan.EndZone,
                StartUtc = plan.StartUtc, EndUtc = plan.EndUtc, Areas = [.. plan.Areas], Capacity = plan.Capacity, Host = plan.Host,
                Description = plan.Description, TitleZh = plan.TitleZh, DescriptionZh = plan.DescriptionZh, TravelMode = mode, TravelReference = plan.Reference, VehicleId = plan.VehicleId,
                CancelReason = cancelled ? CancelledByImport : null, CancelledAt = cancelled ? now : null,
                ReviewStatus = review, Version = 1, Sequence = 0, CreatedAt = now, UpdatedAt = now,
            };
            db.Engagements.Add(engagement.Final);
            engagement.BookingChanged = true;
            engagementCounts.Created++;
            changedEngagements.Add(engagement.Id);
            return;
        }

        engagement.Final = record;
        engagement.Before = AuditTrail.Snapshot(record);
        var changed = new Change();
        var sequence = new Change();
        sequence.Set(record.FromVenueId, plan.FromVenueId, v => record.FromVenueId = v);
        sequence.Set(record.ToVenueId, plan.ToVenueId, v => record.ToVenueId = v);
        sequence.Set(record.StartLocal, plan.StartLocal, v => record.StartLocal = v);
        sequence.Set(record.StartZone, plan.StartZone, v => record.StartZone = v);
        sequence.Set(record.EndLocal, plan.EndLocal, v => record.EndLocal = v);
        sequence.Set(record.EndZone, plan.EndZone, v => record.EndZone = v);
        sequence.Set(record.StartUtc, plan.StartUtc, v => record.StartUtc = v);
        sequence.Set(record.EndUtc, plan.EndUtc, v => record.EndUtc = v);
        var wasCancelled = record.Status == EngagementStatus.Cancelled;
        sequence.Set(record.Status, status, v => record.Status = v);
        if (record.Status == EngagementStatus.Cancelled && !wasCancelled)
        {
            record.CancelledAt = now;
            record.CancelReason = CancelledByImport;
        }
        else if (record.Status != EngagementStatus.Cancelled && wasCancelled)
        {
            record.CancelledAt = null;
            record.CancelReason = null;
        }

        changed.Set(record.Kind, plan.Kind, v => record.Kind = v);
        changed.Set(record.Title, plan.Title, v => record.Title = v);
        changed.SetList(record.Areas, plan.Areas, v => record.Areas = v);
        changed.Set(record.Capacity, plan.Capacity, v => record.Capacity = v);
        changed.Set(record.Host, plan.Host, v => record.Host = v);
        changed.Set(record.Description, plan.Description, v => record.Description = v);
        changed.Set(record.TitleZh, plan.TitleZh, v => record.TitleZh = v);
        changed.Set(record.DescriptionZh, plan.DescriptionZh, v => record.DescriptionZh = v);
        changed.Set(record.TravelMode, mode, v => record.TravelMode = v);
        changed.Set(record.TravelReference, plan.Reference, v => record.TravelReference = v);
        changed.Set(record.VehicleId, plan.VehicleId, v => record.VehicleId = v);

        // Review status, SEQUENCE, promotions, the version and the count follow in ApplyRules, once the attendees' final
        // replies are known: the same rules as every API change.
        engagement.BookingChanged = sequence.Any;
        engagement.FieldsChanged = changed.Any || sequence.Any;
    }

    private const string CancelledByImport = "Cancelled by a programme import.";

    /// <summary>Works out every attendee row to add or change (the document's, and stored ones on engagements whose time, place or status changed).</summary>
    private void PlanAttendees()
    {
        foreach (var engagement in engagements)
        {
            var record = engagement.Final!;
            var stored = existing.AttendeesByEngagement.GetValueOrDefault(record.Id) ?? [];
            var nextAcceptance = stored.Count == 0 ? 1 : stored.Max(a => a.AcceptanceOrder) + 1;
            var occupied = new Interval(record.StartUtc, record.EndUtc);
            var listed = new HashSet<Guid>();
            foreach (var attendee in engagement.Attendees)
            {
                listed.Add(attendee.Person.Id);
                var role = attendee.Role;
                var row = existing.Attendees.GetValueOrDefault((record.Id, attendee.Person.Id));
                if (row is null)
                {
                    var response = attendee.Response ?? Response.NeedsAction;
                    attendeeWrites.Add(new AttendeeWrite(null, new AttendeeRecord
                    {
                        EngagementId = record.Id, PersonId = attendee.Person.Id, Role = role, Response = response,
                        AcceptanceOrder = response == Response.Accepted ? nextAcceptance++ : 0, InvitedAt = now,
                        RespondedAt = response == Response.NeedsAction ? null : now,
                        Occupied = occupied, HoldsTime = BookingQueries.HoldsTime(record.Status, response),
                    }));
                    attendeeCounts.Created++;
                    changedPeople.Add(attendee.Person.Id);
                    continue;
                }

                var final = Copy(row);
                final.Role = role;
                var replied = attendee.Response ?? row.Response;
                var responseChanged = replied != row.Response;
                if (responseChanged)
                {
                    final.Response = replied;
                    final.RespondedAt = now;
                    if (replied == Response.Accepted)
                    {
                        final.AcceptanceOrder = nextAcceptance++;
                    }
                }

                if (responseChanged || engagement.BookingChanged)
                {
                    final.Occupied = occupied;
                    final.HoldsTime = BookingQueries.HoldsTime(record.Status, final.Response);
                    changedPeople.Add(row.PersonId);
                }

                AddIfChanged(row, final, listed: true);
            }

            if (!engagement.BookingChanged)
            {
                continue;
            }

            foreach (var row in stored.Where(a => !listed.Contains(a.PersonId)))
            {
                var final = Copy(row);
                final.Occupied = occupied;
                final.HoldsTime = BookingQueries.HoldsTime(record.Status, row.Response);
                changedPeople.Add(row.PersonId);
                AddIfChanged(row, final, listed: false);
            }
        }
    }

    /// <summary>Counts a row the document lists as unchanged when nothing differs; stored rows it does not list count only when updated.</summary>
    private void AddIfChanged(AttendeeRecord row, AttendeeRecord final, bool listed)
    {
        var same = row.Role == final.Role && row.Response == final.Response && row.AcceptanceOrder == final.AcceptanceOrder
            && row.RespondedAt == final.RespondedAt && row.Occupied == final.Occupied && row.HoldsTime == final.HoldsTime;
        if (same)
        {
            if (listed)
            {
                attendeeCounts.Unchanged++;
            }

            return;
        }

        attendeeWrites.Add(new AttendeeWrite(row, final));
        attendeeCounts.Updated++;
    }

    private static AttendeeRecord Copy(AttendeeRecord row) => new()
    {
        EngagementId = row.EngagementId, PersonId = row.PersonId, Role = row.Role, Response = row.Response,
        AcceptanceOrder = row.AcceptanceOrder, InvitedAt = row.InvitedAt, RespondedAt = row.RespondedAt,
        Occupied = row.Occupied, HoldsTime = row.HoldsTime,
    };

}
