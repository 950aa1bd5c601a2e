using CommissionPlanner.Domain.Languages;
using CommissionPlanner.Domain.Members;

namespace CommissionPlanner.Grains;

// What grains answer. Commands take the domain's checked specs (CommissionPlanner.Domain types cross
// grain calls through Orleans' System.Text.Json codec, see GrainSerialization) and answer with a
// CommandResult; callers read the resulting resource from PostgreSQL, which the grain has committed.

[GenerateSerializer, Alias("CommandStatus")]
public enum CommandStatus
{
    Ok = 0,
    Created = 1,
    NotFound = 2,
    Invalid = 3,
    Conflict = 4,
}

/// <summary>One clash of a person's engagements: overlapping, or too little time to travel between them.</summary>
[GenerateSerializer, Immutable, Alias("ClashInfo")]
public sealed record ClashInfo(
    [property: Id(0)] Guid PersonId,
    [property: Id(1)] string Kind,
    [property: Id(2)] IReadOnlyList<Guid> EngagementIds,
    [property: Id(3)] string Detail,
    [property: Id(4)] int? MinutesShort = null,
    [property: Id(5)] bool TimesOverlap = false);

/// <summary>
/// What a vehicle answers a transfer asking for it: held (under <see cref="HoldId"/>, with the seats it has), or why not.
/// <see cref="Unknown"/>: no such vehicle in the transfer's programme.
/// </summary>
[GenerateSerializer, Immutable, Alias("VehicleReservation")]
public sealed record VehicleReservation(
    [property: Id(0)] bool Reserved,
    [property: Id(1)] string? Problem = null,
    [property: Id(2)] Guid HoldId = default,
    [property: Id(3)] int Seats = 0,
    [property: Id(4)] bool Unknown = false);

[GenerateSerializer, Immutable, Alias("CommandResult")]
public sealed record CommandResult(
    [property: Id(0)] CommandStatus Status,
    [property: Id(1)] Guid? Id = null,
    [property: Id(2)] string? Detail = null,
    [property: Id(3)] IReadOnlyDictionary<string, string[]>? Errors = null,
    [property: Id(4)] IReadOnlyList<ClashInfo>? Conflicts = null,
    [property: Id(5)] IReadOnlyList<ClashInfo>? Warnings = null,
    [property: Id(6)] IReadOnlyDictionary<string, int>? Numbers = null)
{
    public bool Succeeded => Status is CommandStatus.Ok or CommandStatus.Created;

    public static CommandResult Ok(Guid id, IReadOnlyList<ClashInfo>? warnings = null) => new(CommandStatus.Ok, id, Warnings: warnings);

    public static CommandResult Created(Guid id, IReadOnlyList<ClashInfo>? warnings = null) => new(CommandStatus.Created, id, Warnings: warnings);

    public static CommandResult NotFound(string detail) => new(CommandStatus.NotFound, Detail: detail);

    public static CommandResult Invalid(string field, string message) =>
        new(CommandStatus.Invalid, Detail: message, Errors: new Dictionary<string, string[]> { [field] = [message] });

    public static CommandResult Conflict(string detail, IReadOnlyList<ClashInfo>? conflicts = null, IReadOnlyDictionary<string, int>? numbers = null) =>
        new(CommandStatus.Conflict, Detail: detail, Conflicts: conflicts, Numbers: numbers);

    /// <summary>409 for a version that no longer matches; <c>currentVersion</c> tells the caller what to read.</summary>
    public static CommandResult Stale(string what, int current, int expected, bool versionFromClient) => Conflict(
        versionFromClient
            ? $"The {what} has changed since you read it (your If-Match is version {expected}, it is now {current}). Read it again and reapply your change."
            : $"The {what} changed while your request was applied. Send the request again.",
        numbers: new Dictionary<string, int> { ["currentVersion"] = current });
}

/// <summary>
/// What a booking check answers: no clashes means the time is held for the caller, under <see cref="HoldId"/>, which
/// the caller gives back to release exactly that hold.
/// </summary>
[GenerateSerializer, Immutable, Alias("ReservationResult")]
public sealed record ReservationResult(
    [property: Id(0)] bool Reserved,
    [property: Id(1)] IReadOnlyList<ClashInfo> Clashes,
    [property: Id(2)] Guid HoldId = default,
    [property: Id(3)] BookedPerson? Person = null);

/// <summary>
/// The person a booking check was for, as their itinerary holds them: what an attendee add answers with and checks (the
/// programme), so the add reads nothing. Null in a <see cref="ReservationResult"/> when there is no such person.
/// </summary>
[GenerateSerializer, Immutable, Alias("BookedPerson")]
public sealed record BookedPerson(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid ProgrammeId,
    [property: Id(2)] Guid DelegationId,
    [property: Id(3)] string FullName,
    [property: Id(4)] string? LocalName,
    [property: Id(5)] string Organisation,
    [property: Id(6)] string Title,
    [property: Id(7)] IReadOnlyList<string>? Languages = null,
    [property: Id(8)] IReadOnlyList<string>? Interprets = null)
{
    /// <summary>The person as interpreter coverage sees them (<see cref="InterpreterCoverage"/>).</summary>
    public Speaker Speaker => new(Id, FullName, LanguageSpec.FromStored(Languages, Interprets));
}

/// <summary>
/// An attendee just added, as their list shows them: the person's names and place in a delegation, and their role,
/// reply and attendance (wire names). The add answers with it, so the hottest write needs no read after it. A new
/// attendee has not replied, so there is no reply time.
/// </summary>
[GenerateSerializer, Immutable, Alias("AddedAttendee")]
public sealed record AddedAttendee(
    [property: Id(0)] Guid PersonId,
    [property: Id(1)] string FullName,
    [property: Id(2)] string? LocalName,
    [property: Id(3)] Guid DelegationId,
    [property: Id(4)] string Organisation,
    [property: Id(5)] string Title,
    [property: Id(6)] string Role,
    [property: Id(7)] string Response,
    [property: Id(8)] string Attendance,
    [property: Id(9)] int? WaitingPosition);

/// <summary>What an attendee add answers: the command's result and, when it succeeded, the attendee as added.</summary>
[GenerateSerializer, Immutable, Alias("AttendeeAddition")]
public sealed record AttendeeAddition(
    [property: Id(0)] CommandResult Result,
    [property: Id(1)] AddedAttendee? Attendee = null);

/// <summary>
/// What a member sheet did or would do: the grain's verdict (not found, a conflict while writing), the decision for every
/// row (domain records, which cross as JSON), and whether anything was written.
/// </summary>
[GenerateSerializer, Immutable, Alias("MemberImportAnswer")]
public sealed record MemberImportAnswer(
    [property: Id(0)] CommandResult Result,
    [property: Id(1)] IReadOnlyList<PlannedRow> Rows,
    [property: Id(2)] bool Written);
