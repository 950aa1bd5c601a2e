using CommissionPlanner.Domain.Planning;

namespace CommissionPlanner.Data.Import;

/// <summary>How many rows of one kind an import created, changed and found already as the document says.</summary>
public sealed record ImportCounts(int Created, int Updated, int Unchanged);

public sealed record ImportCountsByKind(
    ImportCounts Programme,
    ImportCounts Venues,
    ImportCounts Delegations,
    ImportCounts People,
    ImportCounts Engagements,
    ImportCounts Attendees,
    ImportCounts Vehicles,
    ImportCounts RoomBlocks,
    ImportCounts Stays)
{
    /// <summary>Every kind, for "did anything change" and for listing them; not part of the answer's body.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<(string Kind, ImportCounts Counts)> All =>
    [
        ("programme", Programme), ("venues", Venues), ("delegations", Delegations), ("people", People), ("engagements", Engagements),
        ("attendees", Attendees), ("vehicles", Vehicles), ("roomBlocks", RoomBlocks), ("stays", Stays),
    ];
}

/// <summary>What a successful import did: the answer's body.</summary>
public sealed record ImportSummary(Guid ProgrammeId, bool CreatedProgramme, ImportCountsByKind Counts)
{
    /// <summary>True when the import wrote nothing: every row was already as the document says.</summary>
    public bool NothingChanged =>
        !CreatedProgramme
        && Counts.All.All(c => c.Counts.Created == 0 && c.Counts.Updated == 0);
}

/// <summary>
/// The ids of the rows an import created or changed, for whoever caches them (e.g. grains to deactivate).
/// <see cref="PersonIds"/> also lists the people whose bookings changed (their itineraries).
/// </summary>
public sealed record ImportChanges(
    IReadOnlyList<Guid> VenueIds,
    IReadOnlyList<Guid> DelegationIds,
    IReadOnlyList<Guid> PersonIds,
    IReadOnlyList<Guid> EngagementIds,
    IReadOnlyList<Guid> VehicleIds,
    IReadOnlyList<Guid> StayIds);

/// <summary>
/// The result of <see cref="ProgrammeImporter"/>: a summary when it was imported; otherwise every problem
/// (<see cref="Errors"/>, keyed by JSON path) or a conflict with a concurrent change (<see cref="Conflict"/>). Nothing
/// is written unless it succeeded.
/// </summary>
public sealed class ImportOutcome
{
    private ImportOutcome(
        ImportSummary? summary, ImportChanges? changes, FieldErrors? errors, string? conflict, IReadOnlyDictionary<string, int>? conflictNumbers = null)
    {
        ConflictNumbers = conflictNumbers;
        Summary = summary;
        Changes = changes;
        Errors = errors;
        Conflict = conflict;
    }

    public ImportSummary? Summary { get; }

    public ImportChanges? Changes { get; }

    public FieldErrors? Errors { get; }

    /// <summary>A sentence for the caller when a concurrent change got in the way (retrying usually succeeds).</summary>
    public string? Conflict { get; }

    /// <summary>The numbers behind a conflict, when it has some (a capacity refusal's capacity and attending).</summary>
    public IReadOnlyDictionary<string, int>? ConflictNumbers { get; }

    public bool Succeeded => Summary is not null;

    public static ImportOutcome Imported(ImportSummary summary, ImportChanges changes) => new(summary, changes, null, null);

    public static ImportOutcome Invalid(FieldErrors errors) => new(null, null, errors, null);

    public static ImportOutcome Conflicted(string detail, IReadOnlyDictionary<string, int>? numbers = null) => new(null, null, null, detail, numbers);
}
