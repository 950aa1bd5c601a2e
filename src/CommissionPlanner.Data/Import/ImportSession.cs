using System.Globalization;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Planning;
using NodaTime;

namespace CommissionPlanner.Data.Import;

/// <summary>
/// One import of one document against the rows already stored: <see cref="Validate"/> finds every problem (field rules
/// through ReferenceSpecs/EngagementSpecs, then the whole-document rules); <see cref="StageChanges"/> applies the
/// document to the tracked rows; <see cref="StageAttendees"/> then writes the bookings. Not thread-safe; use once.
/// </summary>
internal sealed partial class ImportSession(
    ProgrammeDocument document, ExistingProgramme existing, IDateTimeZoneProvider zones, TravelOptions travel, Instant now)
{
    /// <summary>The length of the externalId columns.</summary>
    public const int MaxExternalIdLength = 100;

    /// <summary>A zone to place times in when a venue's own zone is invalid: that error is reported on the venue.</summary>
    private const string FallbackZone = "Etc/UTC";

    private static readonly string Cancelled = EngagementStatuses.ToWire(EngagementStatus.Cancelled);

    private readonly FieldErrors errors = new();
    private readonly List<VenueEntry> venues = [];
    private readonly Dictionary<string, VenueEntry> venuesByExternalId = new(StringComparer.Ordinal);
    private readonly List<DelegationEntry> delegations = [];
    private readonly Dictionary<string, MemberEntry> membersByExternalId = new(StringComparer.Ordinal);
    private readonly List<EngagementEntry> engagements = [];
    private readonly List<AttendeeWrite> attendeeWrites = [];
    private string? programmeExternalId;
    private ProgrammeSpec? programmeSpec;
    private Guid programmeId;

    private readonly HashSet<Guid> changedVenues = [];
    private readonly HashSet<Guid> changedDelegations = [];
    private readonly HashSet<Guid> changedPeople = [];
    private readonly HashSet<Guid> changedEngagements = [];

    /// <summary>The programme's externalId as the document gives it (trimmed), or null when it has none.</summary>
    public static string? ProgrammeExternalIdOf(ProgrammeDocument document) => Clean(document?.Programme?.ExternalId);

    /// <summary>The venue externalIds the document gives (trimmed, distinct).</summary>
    public static IReadOnlyCollection<string> VenueExternalIdsOf(ProgrammeDocument document) =>
        [.. (document?.Venues ?? []).Select(v => Clean(v?.ExternalId)).OfType<string>().Distinct(StringComparer.Ordinal)];

    // ---------------------------------------------------------------------------------------------------------
    // Validation

    /// <summary>Every problem with the document, keyed by JSON path; empty when it may be imported.</summary>
    public FieldErrors Validate()
    {
        if (!string.Equals(document.Format, ProgrammeDocument.FormatId, StringComparison.Ordinal))
        {
            errors.Add("format", $"'format' must be \"{ProgrammeDocument.FormatId}\".");
        }

        ValidateProgramme();
        ValidateVenues();
        ValidateDelegations();
        ValidateEngagements();
        CheckReviews();
        CheckClashes();
        return errors;
    }

    private void ValidateProgramme()
    {
        if (document.Programme is not { } programme)
        {
            errors.Add("programme", "'programme' is required: {externalId, name, startDate, endDate, timeZone, areas}.");
            return;
        }

        programmeExternalId = ExternalId("programme", programme.ExternalId);
        var local = new FieldErrors();
        programmeSpec = ReferenceSpecs.Validate(new ProgrammeInput(programme.Name, programme.StartDate, programme.EndDate, programme.TimeZone, programme.Areas), zones, local);
        errors.Merge("programme", local);
        programmeId = existing.Programme?.Id ?? Guid.CreateVersion7();
    }

    private void ValidateVenues()
    {
        var matched = new Dictionary<Guid, string>();
        var items = document.Venues ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"venues[{i}]";
            if (items[i] is not { } venue)
            {
                errors.Add(path, "Each venue must be an object.");
                continue;
            }

            var externalId = ExternalId(path, venue.ExternalId);
            var local = new FieldErrors();
            var spec = ReferenceSpecs.Validate(
                new VenueInput(venue.Name, venue.LocalName, venue.Address, venue.City, venue.Country, venue.TimeZone,
                    venue.Latitude, venue.Longitude, venue.Capacity, venue.Sensitive),
                zones, local);
            errors.Merge(path, local);

            var zone = Clean(venue.TimeZone);
            var entry = new VenueEntry(path, externalId, spec, zone is not null && PlannedTime.IsKnownZone(zone, zones) ? zone : FallbackZone);
            venues.Add(entry);
            if (externalId is null)
            {
                continue;
            }

            if (venuesByExternalId.TryGetValue(externalId, out var first))
            {
                errors.Add($"{path}.externalId", $"The externalId '{externalId}' is also used by {first.Path}.");
                continue;
            }

            venuesByExternalId[externalId] = entry;
            entry.Record = existing.Venues.Find(externalId);
            if (entry.Record is not null && !matched.TryAdd(entry.Record.Id, path))
            {
                errors.Add($"{path}.externalId", $"'{externalId}' names the same stored venue as {matched[entry.Record.Id]}.");
                entry.Record = null;
            }
        }

        AssignIds(venues, v => v.Record?.Id, (v, id) => v.Id = id);
    }

    private void ValidateDelegations()
    {
        var matchedDelegations = new Dictionary<Guid, string>();
        var matchedPeople = new Dictionary<Guid, string>();
        var delegationsByExternalId = new Dictionary<string, string>(StringComparer.Ordinal);
        var items = document.Delegations ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"delegations[{i}]";
            if (items[i] is not { } delegation)
            {
                errors.Add(path, "Each delegation must be an object.");
                continue;
            }

            var externalId = ExternalId(path, delegation.ExternalId);
            var local = new FieldErrors();
            var spec = ReferenceSpecs.Validate(new DelegationInput(delegation.Name, delegation.Country), local);
            errors.Merge(path, local);
            var entry = new DelegationEntry(path, externalId, spec);
            delegations.Add(entry);
            if (externalId is not null)
            {
                if (!delegationsByExternalId.TryAdd(externalId, path))
                {
                    errors.Add($"{path}.externalId", $"The externalId '{externalId}' is also used by {delegationsByExternalId[externalId]}.");
                }
                else
                {
                    entry.Record = existing.Delegations.Find(externalId);
                    if (entry.Record is not null && !matchedDelegations.TryAdd(entry.Record.Id, path))
                    {
                        errors.Add($"{path}.externalId", $"'{externalId}' names the same stored delegation as {matchedDelegations[entry.Record.Id]}.");
                        entry.Record = null;
                    }
                }
            }

            ValidateMembers(entry, delegation.Members ?? [], matchedPeople);
        }

        AssignIds(delegations, d => d.Record?.Id, (d, id) => d.Id = id);
        AssignIds(delegations.SelectMany(d => d.Members).ToList(), m => m.Record?.Id, (m, id) => m.Id = id);
        CheckEmailsAgainstStoredMembers();
    }

    private void ValidateMembers(DelegationEntry delegation, IReadOnlyList<MemberData?> items, Dictionary<Guid, string> matchedPeople)
    {
        var emails = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var k = 0; k < items.Count; k++)
        {
            var path = $"{delegation.Path}.members[{k}]";
            if (items[k] is not { } member)
            {
                errors.Add(path, "Each member must be an object.");
                continue;
            }

            var externalId = ExternalId(path, member.ExternalId);
            var local = new FieldErrors();
            var spec = ReferenceSpecs.Validate(
                new MemberInput(member.FullName, member.LocalName, member.Organisation, member.Title, member.Email, member.Role), local);
            errors.Merge(path, local);

            var entry = new MemberEntry(path, externalId, spec, delegation, protocolOrder: k + 1);
            delegation.Members.Add(entry);
            if (spec is not null && !emails.TryAdd(spec.Email, path))
            {
                errors.Add($"{path}.email", $"The e-mail address '{spec.Email}' is also used by {emails[spec.Email]} of the same delegation.");
            }

            if (externalId is null)
            {
                continue;
            }

            if (membersByExternalId.TryGetValue(externalId, out var first))
            {
                errors.Add($"{path}.externalId", $"The externalId '{externalId}' is also used by {first.Path}; people's externalIds are unique within a document.");
                continue;
            }

            membersByExternalId[externalId] = entry;
            entry.Record = existing.People.Find(externalId);
            if (entry.Record is not null && !matchedPeople.TryAdd(entry.Record.Id, path))
            {
                errors.Add($"{path}.externalId", $"'{externalId}' names the same stored person as {matchedPeople[entry.Record.Id]}.");
                entry.Record = null;
            }
        }
    }

    /// <summary>Members already stored in a delegation but absent from the document keep their e-mail addresses.</summary>
    private void CheckEmailsAgainstStoredMembers()
    {
        var inDocument = delegations.SelectMany(d => d.Members).Where(m => m.Record is not null).Select(m => m.Record!.Id).ToHashSet();
        var others = existing.AllPeople.Where(p => !inDocument.Contains(p.Id)).ToLookup(p => p.DelegationId);
        foreach (var delegation in delegations.Where(d => d.Record is not null))
        {
            foreach (var member in delegation.Members.Where(m => m.Spec is not null))
            {
                if (others[delegation.Id].FirstOrDefault(p => p.Email == member.Spec!.Email) is { } clash)
                {
                    errors.Add($"{member.Path}.email",
                        $"The e-mail address '{member.Spec!.Email}' already belongs to {clash.FullName} ({clash.ExternalId ?? clash.Id.ToString()}), "
                        + "a member of this delegation who is not in the document.");
                }
            }
        }
    }

    private void ValidateEngagements()
    {
        var matched = new Dictionary<Guid, string>();
        var byExternalId = new Dictionary<string, string>(StringComparer.Ordinal);
        var items = document.Engagements ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"engagements[{i}]";
            if (items[i] is not { } engagement)
            {
                errors.Add(path, "Each engagement must be an object.");
                continue;
            }

            var externalId = ExternalId(path, engagement.ExternalId);
            var entry = new EngagementEntry(path, externalId);
            engagements.Add(entry);
            if (externalId is not null)
            {
                if (!byExternalId.TryAdd(externalId, path))
                {
                    errors.Add($"{path}.externalId", $"The externalId '{externalId}' is also used by {byExternalId[externalId]}.");
                }
                else
                {
                    entry.Record = existing.Engagements.Find(externalId);
                    if (entry.Record is not null && !matched.TryAdd(entry.Record.Id, path))
                    {
                        errors.Add($"{path}.externalId", $"'{externalId}' names the same stored engagement as {matched[entry.Record.Id]}.");
                        entry.Record = null;
                    }
                }
            }

            var local = new FieldErrors();
            var usesInvalidVenue = false;
            var input = new EngagementInput(
                Kind: engagement.Kind, Title: engagement.Title, VenueId: engagement.Venue, Start: engagement.Start, End: engagement.End,
                TimeZone: engagement.TimeZone, Areas: engagement.Areas, Capacity: engagement.Capacity, Host: engagement.Host,
                Description: engagement.Description, FromVenueId: engagement.From, ToVenueId: engagement.To,
                Departure: engagement.Departure, Arrival: engagement.Arrival, Mode: engagement.Mode, Reference: engagement.Reference);
            entry.Plan = EngagementSpecs.Validate(input, reference =>
            {
                if (!venuesByExternalId.TryGetValue(reference, out var venue))
                {
                    return null;
                }

                usesInvalidVenue |= venue.Spec is null;
                return new VenueRef(venue.Id, venue.Spec?.TimeZone ?? venue.Zone);
            }, zones, local);
            entry.UsesInvalidVenue = usesInvalidVenue;

            if (engagement.Status is null)
            {
                entry.Status = entry.Record is not null && EngagementStatuses.TryParse(entry.Record.Status, out var stored) ? stored : EngagementStatus.Tentative;
            }
            else
            {
                entry.Status = local.Choice<EngagementStatus>("status", engagement.Status, EngagementStatuses.TryParse, EngagementStatuses.WireNames)
                    ?? EngagementStatus.Tentative;
            }

            MergeEngagementErrors(path, local);
            ValidateAttendees(entry, engagement.Attendees ?? []);
        }

        AssignIds(engagements, e => e.Record?.Id, (e, id) => e.Id = id);
    }

    /// <summary>EngagementSpecs speaks the API's field names (venueId…); the document's are venue, from and to.</summary>
    private void MergeEngagementErrors(string path, FieldErrors local)
    {
        (string Api, string Document)[] renames = [("venueId", "venue"), ("fromVenueId", "from"), ("toVenueId", "to")];
        foreach (var (field, messages) in local.ToDictionary())
        {
            var name = renames.FirstOrDefault(r => r.Api == field).Document ?? field;
            foreach (var message in messages)
            {
                var text = message.Replace("does not name a known venue.", "does not name a venue in this document's 'venues'.", StringComparison.Ordinal);
                foreach (var (api, doc) in renames)
                {
                    text = text.Replace($"'{api}'", $"'{doc}'", StringComparison.Ordinal);
                }

                errors.Add($"{path}.{name}", text);
            }
        }
    }

    private void ValidateAttendees(EngagementEntry engagement, IReadOnlyList<AttendeeData?> items)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var j = 0; j < items.Count; j++)
        {
            var path = $"{engagement.Path}.attendees[{j}]";
            if (items[j] is not { } attendee)
            {
                errors.Add(path, "Each attendee must be an object {person, role, response}.");
                continue;
            }

            var local = new FieldErrors();
            var reference = Clean(attendee.Person);
            MemberEntry? person = null;
            if (reference is null)
            {
                local.Add("person", "'person' is required: the externalId of a delegation member in this document.");
            }
            else if (!membersByExternalId.TryGetValue(reference, out person))
            {
                local.Add("person", $"'{reference}' is not the externalId of a delegation member in this document.");
            }
            else if (!seen.TryAdd(reference, path))
            {
                local.Add("person", $"'{reference}' is already an attendee of this engagement ({seen[reference]}).");
                person = null;
            }

            var role = local.Choice<AttendeeRole>("role", attendee.Role, AttendeeRoles.TryParse, AttendeeRoles.WireNames);
            var response = local.Choice<Response>("response", attendee.Response, Responses.TryParse, Responses.WireNames, required: false);
            errors.Merge(path, local);
            if (person is not null && role is not null && (attendee.Response is null || response is not null))
            {
                engagement.Attendees.Add(new AttendeeEntry(path, person, role.Value, response));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Clashes

    private sealed record FinalEngagement(BookedSlot Slot, EngagementStatus Status, bool BookingChanged, EngagementEntry? Entry);

    private sealed record FinalBooking(FinalEngagement Engagement, Guid PersonId, Response Response, bool Changed, AttendeeEntry? Entry);

    /// <summary>
    /// No person may be in two places at once or without time to travel, over every engagement of the programme as it
    /// will be (stored ones absent from the document included). Clashes among bookings the import leaves untouched are
    /// the itineraries' existing warnings, not the import's business; every clash that involves a booking the import
    /// creates or changes is an error.
    /// </summary>
    private void CheckClashes()
    {
        var finals = new List<FinalEngagement>();
        var inDocument = new HashSet<Guid>();
        foreach (var entry in engagements)
        {
            if (entry.Record is not null)
            {
                inDocument.Add(entry.Record.Id);
            }

            if (entry.Plan is not { } plan || entry.UsesInvalidVenue)
            {
                continue;
            }

            var from = VenueById(plan.FromVenueId)!;
            var to = VenueById(plan.ToVenueId)!;
            var slot = new BookedSlot(entry.Id, plan.Title, plan.Kind, plan.StartUtc, plan.EndUtc, from.Place!, to.Place!);
            var changed = entry.Record is not { } record
                || TimesOrPlaceChanged(record, plan)
                || record.Status != EngagementStatuses.ToWire(entry.Status)
                || from.PlaceChanged || to.PlaceChanged;
            finals.Add(new FinalEngagement(slot, entry.Status, changed, entry));
        }

        foreach (var record in existing.AllEngagements.Where(e => !inDocument.Contains(e.Id)))
        {
            if (!EngagementKinds.TryParse(record.Kind, out var kind) || !EngagementStatuses.TryParse(record.Status, out var status))
            {
                continue;
            }

            var (from, fromChanged) = StoredPlace(record.FromVenueId);
            var (to, toChanged) = StoredPlace(record.ToVenueId);
            if (from is null || to is null)
            {
                continue;
            }

            var slot = new BookedSlot(record.Id, record.Title, kind, record.StartUtc, record.EndUtc, from, to);
            finals.Add(new FinalEngagement(slot, status, fromChanged || toChanged, null));
        }

        var bookings = new List<FinalBooking>();
        foreach (var final in finals)
        {
            var engagementId = final.Slot.EngagementId;
            var stored = existing.AttendeesByEngagement.GetValueOrDefault(engagementId) ?? [];
            var listed = new HashSet<Guid>();
            foreach (var attendee in final.Entry?.Attendees ?? [])
            {
                listed.Add(attendee.Person.Id);
                var row = existing.Attendees.GetValueOrDefault((engagementId, attendee.Person.Id));
                var storedResponse = row is not null && Responses.TryParse(row.Response, out var r) ? r : (Response?)null;
                var response = attendee.Response ?? storedResponse ?? Response.NeedsAction;
                bookings.Add(new FinalBooking(final, attendee.Person.Id, response,
                    final.BookingChanged || row is null || storedResponse != response, attendee));
            }

            foreach (var row in stored.Where(a => !listed.Contains(a.PersonId)))
            {
                if (Responses.TryParse(row.Response, out var response))
                {
                    bookings.Add(new FinalBooking(final, row.PersonId, response, final.BookingChanged, null));
                }
            }
        }

        foreach (var person in bookings
            .Where(b => b.Engagement.Status != EngagementStatus.Cancelled && b.Response != Response.Declined)
            .GroupBy(b => b.PersonId)
            .Where(g => g.Any(b => b.Changed)))
        {
            var byEngagement = person.ToDictionary(b => b.Engagement.Slot.EngagementId);
            foreach (var clash in ItineraryRules.AllClashes([.. person.Select(b => b.Engagement.Slot)], travel))
            {
                var involved = clash.EngagementIds.Select(id => byEngagement[id]).ToList();
                if (!involved.Any(b => b.Changed))
                {
                    continue;
                }

                // Report it at the later engagement's entry for this person when the document has one.
                var at = involved.AsEnumerable().Reverse().FirstOrDefault(b => b.Entry is not null)?.Entry?.Path is { } attendeePath
                    ? $"{attendeePath}.person"
                    : involved.AsEnumerable().Reverse().FirstOrDefault(b => b.Engagement.Entry is not null)?.Engagement.Entry!.Path ?? "engagements";
                var who = DescribePerson(person.Key);
                errors.Add(at, clash.Kind == ClashKind.Overlap
                    ? $"{who} would be in two places at once: {clash.Detail}."
                    : $"{who} cannot get from one engagement to the next in time: {clash.Detail}.");
            }
        }
    }

    private (Place? Place, bool Changed) StoredPlace(Guid venueId)
    {
        if (venues.FirstOrDefault(v => v.Id == venueId && v.Spec is not null) is { } entry)
        {
            return (entry.Place, entry.PlaceChanged);
        }

        return existing.VenuesById.TryGetValue(venueId, out var venue)
            ? (new Place(venue.Id, venue.City, venue.Country, new GeoPoint(venue.Latitude, venue.Longitude)), false)
            : (null, false);
    }

    private string DescribePerson(Guid personId)
    {
        var member = membersByExternalId.Values.FirstOrDefault(m => m.Id == personId);
        if (member is not null)
        {
            return $"{member.Spec?.FullName ?? member.ExternalId} ({member.ExternalId})";
        }

        return existing.PeopleById.TryGetValue(personId, out var person)
            ? $"{person.FullName} ({person.ExternalId ?? person.Id.ToString()})"
            : personId.ToString();
    }

    private static bool TimesOrPlaceChanged(EngagementRecord record, EngagementPlan plan) =>
        record.StartLocal != plan.StartLocal || record.EndLocal != plan.EndLocal
        || record.StartZone != plan.StartZone || record.EndZone != plan.EndZone
        || record.StartUtc != plan.StartUtc || record.EndUtc != plan.EndUtc
        || record.FromVenueId != plan.FromVenueId || record.ToVenueId != plan.ToVenueId;

    private VenueEntry? VenueById(Guid id) => venues.FirstOrDefault(v => v.Id == id);

    // ---------------------------------------------------------------------------------------------------------
    // Writing

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

        foreach (var engagement in engagements)
        {
            StageEngagement(db, engagement);
        }

        PlanAttendees();
        ApplyRules(db);
        foreach (var write in attendeeWrites.Where(w => w.Stored is { HoldsTime: true }))
        {
            write.Stored!.HoldsTime = false;
        }
    }

    /// <summary>Writes the attendees' final state: the second half of <see cref="StageChanges"/>.</summary>
    public void StageAttendees(PlannerDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
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
                db.Attendees.Add(write.Final);
            }
        }
    }

    public ImportSummary Summary() => new(programmeId, CreatedProgramme: existing.Programme is null, new ImportCountsByKind(
        programmeCounts.ToCounts(), venueCounts.ToCounts(), delegationCounts.ToCounts(), personCounts.ToCounts(),
        engagementCounts.ToCounts(), attendeeCounts.ToCounts()));

    public ImportChanges Changes() => new([.. changedVenues], [.. changedDelegations], [.. changedPeople], [.. changedEngagements]);

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
                Id = programmeId, ExternalId = programmeExternalId, Name = spec.Name, StartDate = spec.StartDate, EndDate = spec.EndDate,
                TimeZone = spec.TimeZone, Areas = [.. spec.Areas], Version = 1, CreatedAt = now, UpdatedAt = now,
            });
            programmeCounts.Created++;
            return;
        }

        var changed = new Change();
        changed.Set(record.Name, spec.Name, v => record.Name = v);
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
        var role = DelegateRoles.ToWire(spec.Role);
        if (member.Record is not { } record)
        {
            db.People.Add(new PersonRecord
            {
                Id = member.Id, DelegationId = member.Delegation.Id, ProgrammeId = programmeId, ExternalId = member.ExternalId,
                FullName = spec.FullName, LocalName = spec.LocalName, Organisation = spec.Organisation, Title = spec.Title,
                Email = spec.Email, Role = role, ProtocolOrder = member.ProtocolOrder, Version = 1, CreatedAt = now, UpdatedAt = now,
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
        changed.Set(record.Role, role, v => record.Role = v);
        changed.Set(record.ProtocolOrder, member.ProtocolOrder, v => record.ProtocolOrder = v);
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
        var status = EngagementStatuses.ToWire(engagement.Status);
        var review = ReviewStatuses.ToWire(engagement.Review);
        var mode = plan.Mode is { } m ? TravelModes.ToWire(m) : null;
        if (engagement.Record is not { } record)
        {
            var cancelled = engagement.Status == EngagementStatus.Cancelled;
            engagement.Final = new EngagementRecord
            {
                Id = engagement.Id, ProgrammeId = programmeId, ExternalId = engagement.ExternalId, Kind = EngagementKinds.ToWire(plan.Kind),
                Title = plan.Title, Status = status, FromVenueId = plan.FromVenueId, ToVenueId = plan.ToVenueId,
                StartLocal = plan.StartLocal, StartZone = plan.StartZone, EndLocal = plan.EndLocal, EndZone = plan.EndZone,
                StartUtc = plan.StartUtc, EndUtc = plan.EndUtc, Areas = [.. plan.Areas], Capacity = plan.Capacity, Host = plan.Host,
                Description = plan.Description, TravelMode = mode, TravelReference = plan.Reference,
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
        var wasCancelled = record.Status == Cancelled;
        sequence.Set(record.Status, status, v => record.Status = v);
        if (record.Status == Cancelled && !wasCancelled)
        {
            record.CancelledAt = now;
            record.CancelReason = CancelledByImport;
        }
        else if (record.Status != Cancelled && wasCancelled)
        {
            record.CancelledAt = null;
            record.CancelReason = null;
        }

        changed.Set(record.Kind, EngagementKinds.ToWire(plan.Kind), v => record.Kind = v);
        changed.Set(record.Title, plan.Title, v => record.Title = v);
        changed.SetList(record.Areas, plan.Areas, v => record.Areas = v);
        changed.Set(record.Capacity, plan.Capacity, v => record.Capacity = v);
        changed.Set(record.Host, plan.Host, v => record.Host = v);
        changed.Set(record.Description, plan.Description, v => record.Description = v);
        changed.Set(record.TravelMode, mode, v => record.TravelMode = v);
        changed.Set(record.TravelReference, plan.Reference, v => record.TravelReference = v);

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
                var role = AttendeeRoles.ToWire(attendee.Role);
                var row = existing.Attendees.GetValueOrDefault((record.Id, attendee.Person.Id));
                if (row is null)
                {
                    var response = attendee.Response ?? Response.NeedsAction;
                    attendeeWrites.Add(new AttendeeWrite(null, new AttendeeRecord
                    {
                        EngagementId = record.Id, PersonId = attendee.Person.Id, Role = role, Response = Responses.ToWire(response),
                        AcceptanceOrder = response == Response.Accepted ? nextAcceptance++ : 0, InvitedAt = now,
                        RespondedAt = response == Response.NeedsAction ? null : now,
                        Occupied = occupied, HoldsTime = HoldsTime(record.Status, Responses.ToWire(response)),
                    }));
                    attendeeCounts.Created++;
                    changedPeople.Add(attendee.Person.Id);
                    continue;
                }

                var final = Copy(row);
                final.Role = role;
                var responseWire = attendee.Response is { } r ? Responses.ToWire(r) : row.Response;
                var responseChanged = responseWire != row.Response;
                if (responseChanged)
                {
                    final.Response = responseWire;
                    final.RespondedAt = now;
                    if (responseWire == Responses.ToWire(Response.Accepted))
                    {
                        final.AcceptanceOrder = nextAcceptance++;
                    }
                }

                if (responseChanged || engagement.BookingChanged)
                {
                    final.Occupied = occupied;
                    final.HoldsTime = HoldsTime(record.Status, final.Response);
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
                final.HoldsTime = HoldsTime(record.Status, row.Response);
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

    private static bool HoldsTime(string status, string response) =>
        status != Cancelled && response != Responses.ToWire(Response.Declined);

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    private string? ExternalId(string path, string? value)
    {
        var cleaned = Clean(value);
        if (cleaned is null)
        {
            errors.Add($"{path}.externalId", "'externalId' is required: a stable id that identifies this record across imports.");
            return null;
        }

        if (cleaned.Length > MaxExternalIdLength)
        {
            errors.Add($"{path}.externalId", $"'externalId' must be at most {MaxExternalIdLength} characters.");
            return null;
        }

        return cleaned;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>
    /// New rows get version-7 ids handed out in ascending order in document order, so that sorting rows created together by
    /// id (as the export does, after their creation time) keeps the document's order.
    /// </summary>
    private static void AssignIds<T>(IReadOnlyList<T> entries, Func<T, Guid?> storedId, Action<T, Guid> assign)
    {
        var fresh = new Queue<Guid>(Enumerable.Range(0, entries.Count(e => storedId(e) is null))
            .Select(_ => Guid.CreateVersion7())
            .OrderBy(g => g.ToString("N", CultureInfo.InvariantCulture), StringComparer.Ordinal));
        foreach (var entry in entries)
        {
            assign(entry, storedId(entry) ?? fresh.Dequeue());
        }
    }

    private sealed class VenueEntry(string path, string? externalId, VenueSpec? spec, string zone)
    {
        public string Path { get; } = path;
        public string? ExternalId { get; } = externalId;
        public VenueSpec? Spec { get; } = spec;
        /// <summary>The zone to place engagement times in: the venue's own when it is known.</summary>
        public string Zone { get; } = zone;
        public VenueRecord? Record { get; set; }
        public Guid Id { get; set; }

        public Place? Place => Spec is null ? null : new Place(Id, Spec.City, Spec.Country, Spec.Point);

        /// <summary>True when a stored venue moves (city, country or coordinates): travel checks around it change.</summary>
        public bool PlaceChanged => Record is not null && Spec is not null
            && (Record.City != Spec.City || Record.Country != Spec.Country
                || !Record.Latitude.Equals(Spec.Point.Latitude) || !Record.Longitude.Equals(Spec.Point.Longitude));
    }

    private sealed class DelegationEntry(string path, string? externalId, DelegationSpec? spec)
    {
        public string Path { get; } = path;
        public string? ExternalId { get; } = externalId;
        public DelegationSpec? Spec { get; } = spec;
        public DelegationRecord? Record { get; set; }
        public Guid Id { get; set; }
        public List<MemberEntry> Members { get; } = [];
    }

    private sealed class MemberEntry(string path, string? externalId, MemberSpec? spec, DelegationEntry delegation, int protocolOrder)
    {
        public string Path { get; } = path;
        public string? ExternalId { get; } = externalId;
        public MemberSpec? Spec { get; } = spec;
        public DelegationEntry Delegation { get; } = delegation;
        public int ProtocolOrder { get; } = protocolOrder;
        public PersonRecord? Record { get; set; }
        public Guid Id { get; set; }
    }

    private sealed class EngagementEntry(string path, string? externalId)
    {
        public string Path { get; } = path;
        public string? ExternalId { get; } = externalId;
        public EngagementRecord? Record { get; set; }
        public Guid Id { get; set; }
        public EngagementPlan? Plan { get; set; }
        public bool UsesInvalidVenue { get; set; }
        public EngagementStatus Status { get; set; }
        public ReviewStatus Review { get; set; }
        public List<AttendeeEntry> Attendees { get; } = [];
        /// <summary>The row as it will be written (set while staging).</summary>
        public EngagementRecord? Final { get; set; }
        /// <summary>Whether its time, place or status changed (or it is new): every booking on it is rewritten.</summary>
        public bool BookingChanged { get; set; }

        /// <summary>The document changed a stored row's own fields (the rules may change its review and SEQUENCE besides).</summary>
        public bool FieldsChanged { get; set; }

        /// <summary>What the document does to a stored engagement, in the rule book's terms (set while validating).</summary>
        public EngagementChange? Change { get; set; }

        /// <summary>The stored row's audit snapshot before the import.</summary>
        public string? Before { get; set; }
    }

    private sealed record AttendeeEntry(string Path, MemberEntry Person, AttendeeRole Role, Response? Response);

    private sealed record AttendeeWrite(AttendeeRecord? Stored, AttendeeRecord Final);

    private sealed class Tally
    {
        public int Created { get; set; }
        public int Updated { get; set; }
        public int Unchanged { get; set; }

        public void Count(bool changed)
        {
            if (changed)
            {
                Updated++;
            }
            else
            {
                Unchanged++;
            }
        }

        public ImportCounts ToCounts() => new(Created, Updated, Unchanged);
    }

    /// <summary>Assigns values that differ and remembers whether any did.</summary>
    private sealed class Change
    {
        public bool Any { get; private set; }

        public void Mark() => Any = true;

        public void Set<T>(T current, T value, Action<T> assign)
        {
            if (!EqualityComparer<T>.Default.Equals(current, value))
            {
                assign(value);
                Any = true;
            }
        }

        public void SetList(List<string> current, IReadOnlyList<string> value, Action<List<string>> assign)
        {
            if (!current.SequenceEqual(value, StringComparer.Ordinal))
            {
                assign([.. value]);
                Any = true;
            }
        }
    }
}
