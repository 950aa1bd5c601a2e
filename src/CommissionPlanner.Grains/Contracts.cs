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
    [property: Id(3)] string Detail);

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

/// <summary>What a booking check answers: no clashes means the time is held for the caller.</summary>
[GenerateSerializer, Immutable, Alias("ReservationResult")]
public sealed record ReservationResult(
    [property: Id(0)] bool Reserved,
    [property: Id(1)] IReadOnlyList<ClashInfo> Clashes);
