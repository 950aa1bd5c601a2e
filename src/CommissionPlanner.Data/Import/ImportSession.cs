using System.Globalization;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Languages;
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
        ValidateVehicles();
        ValidateEngagements();
        ValidateRoomBlocks();
        ValidateStays();
        CheckReviews();
        CheckClashes();
        CheckLogistics();
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
        programmeSpec = ReferenceSpecs.Validate(
            new ProgrammeInput(programme.Name, programme.StartDate, programme.EndDate, programme.TimeZone, programme.Areas, programme.NotificationsEnabled, programme.NameZh), zones, local);
        if (existing.Programme is { } stored && programme.NotificationsEnabled is { } wanted && wanted != stored.NotificationsEnabled)
        {
            // Switching them on records what everyone is shown as what they know (PATCH does that); an import, which is
            // itself changing what they are shown, cannot say at which point.
            local.Add("notificationsEnabled", "An import does not switch an existing programme's notifications: use PATCH /api/programmes/{id}.");
        }

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
            var languages = member.Languages is null && member.Interprets is null ? null : LanguageTags.Validate(member.Languages, member.Interprets, local);
            errors.Merge(path, local);

            var entry = new MemberEntry(path, externalId, spec, delegation, protocolOrder: k + 1) { Languages = languages };
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
                Departure: engagement.Departure, Arrival: engagement.Arrival, Mode: engagement.Mode, Reference: engagement.Reference,
                VehicleId: Clean(engagement.Vehicle), TitleZh: engagement.TitleZh, DescriptionZh: engagement.DescriptionZh);
            entry.Plan = EngagementSpecs.Validate(input, reference =>
            {
                if (!venuesByExternalId.TryGetValue(reference, out var venue))
                {
                    return null;
                }

                usesInvalidVenue |= venue.Spec is null;
                return new VenueRef(venue.Id, venue.Spec?.TimeZone ?? venue.Zone);
            }, zones, local, FindVehicle);
            entry.UsesInvalidVenue = usesInvalidVenue;

            if (engagement.Status is null)
            {
                entry.Status = entry.Record?.Status ?? EngagementStatus.Tentative;
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

    /// <summary>EngagementSpecs speaks the API's field names (venueId…); the document's are venue, from, to and vehicle.</summary>
    private void MergeEngagementErrors(string path, FieldErrors local) =>
        MergeRenamed(path, local, [("venueId", "venue"), ("fromVenueId", "from"), ("toVenueId", "to"), ("vehicleId", "vehicle")], UnknownVenue, UnknownVehicle);

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
        /// <summary>The languages the document gives; null when it gives none (what is stored stays).</summary>
        public LanguageSpec? Languages { get; init; }
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
