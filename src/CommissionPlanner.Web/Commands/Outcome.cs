using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Grains;

namespace CommissionPlanner.Web.Commands;

/// <summary>Why a command did nothing. Endpoints turn it into the contract's status codes; pages into messages beside the form.</summary>
public enum FailureKind
{
    /// <summary>The input breaks a rule: <see cref="Failure.Errors"/> names the fields (400).</summary>
    Invalid,

    /// <summary>No such resource, or one the caller may not know exists (404).</summary>
    NotFound,

    /// <summary>The change conflicts with the current state: a clash, a capacity, a pending review, a stale version (409).</summary>
    Conflict,

    /// <summary>The caller may not do this (403).</summary>
    Forbidden,
}

/// <summary>
/// A refusal. <see cref="Detail"/> is a sentence a person can act on (for <see cref="FailureKind.NotFound"/> it names what
/// was not found); <see cref="Numbers"/> carries the figures a conflict is about (both capacities, or
/// <c>currentVersion</c> for a stale expected version).
/// </summary>
public sealed record Failure(
    FailureKind Kind,
    string? Detail,
    IReadOnlyDictionary<string, string[]> Errors,
    IReadOnlyList<ClashInfo> Conflicts,
    IReadOnlyDictionary<string, int> Numbers)
{
    private static readonly Dictionary<string, string[]> NoErrors = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, int> NoNumbers = new(StringComparer.Ordinal);

    /// <summary>The resource's version now, when the refusal is a stale expected version.</summary>
    public int? CurrentVersion => Kind == FailureKind.Conflict && Numbers.TryGetValue("currentVersion", out var v) ? v : null;

    /// <summary>A sentence for a person: <see cref="Detail"/>, or for "not found" one built from what was not found.</summary>
    public string Message => Kind == FailureKind.NotFound
        ? $"No {Detail ?? "resource"} with that id exists, or you may not see it."
        : Detail ?? string.Join(" ", Errors.SelectMany(e => e.Value));

    /// <summary>True when the only problem is that the resource changed since the caller read it.</summary>
    public bool IsStale => CurrentVersion is not null;

    public static Failure Invalid(FieldErrors errors, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new(FailureKind.Invalid, detail, errors.ToDictionary(), [], NoNumbers);
    }

    public static Failure Invalid(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return Invalid(errors);
    }

    public static Failure NotFound(string what) => new(FailureKind.NotFound, what, NoErrors, [], NoNumbers);

    public static Failure Forbidden(string detail) => new(FailureKind.Forbidden, detail, NoErrors, [], NoNumbers);

    public static Failure Conflict(string detail, IReadOnlyDictionary<string, int>? numbers = null) =>
        new(FailureKind.Conflict, detail, NoErrors, [], numbers ?? NoNumbers);

    /// <summary>A grain's refusal; <paramref name="what"/> names the resource when the grain says only "not found".</summary>
    public static Failure From(CommandResult result, string what)
    {
        ArgumentNullException.ThrowIfNull(result);
        var kind = result.Status switch
        {
            CommandStatus.NotFound => FailureKind.NotFound,
            CommandStatus.Invalid => FailureKind.Invalid,
            CommandStatus.Conflict => FailureKind.Conflict,
            _ => throw new InvalidOperationException($"{result.Status} is not a failure."),
        };
        return new(kind, kind == FailureKind.NotFound ? result.Detail ?? what : result.Detail,
            result.Errors ?? NoErrors, result.Conflicts ?? [], result.Numbers ?? NoNumbers);
    }
}

/// <summary>What a command answers: the value it produced, or why it did nothing.</summary>
public sealed class Outcome<T>
{
    private readonly T? value;

    internal Outcome(T? value, Failure? failure)
    {
        this.value = value;
        Failure = failure;
    }

    public Failure? Failure { get; }

    public bool Succeeded => Failure is null;

    /// <summary>The value of a success; reading it after a failure is a bug.</summary>
    public T Value => Failure is null ? value! : throw new InvalidOperationException("The command failed: " + Failure.Detail);

    public static implicit operator Outcome<T>(Failure failure) => new(default, failure);
}

/// <summary>Makes outcomes (static members live here rather than on the generic type).</summary>
public static class Outcome
{
    public static Outcome<T> Success<T>(T value) => new(value, null);

    public static Outcome<T> Fail<T>(Failure failure) => new(default, failure);
}

/// <summary>A change saved: the resource's id and the clashes it left for attendees (a reschedule may create some).</summary>
public sealed record Saved(Guid Id, IReadOnlyList<ClashInfo> Warnings)
{
    public static Saved From(CommandResult result, Guid id)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(result.Id ?? id, result.Warnings ?? []);
    }
}
