using System.Collections.Frozen;

namespace CommissionPlanner.Domain;

/// <summary>
/// A two-way map between the members of an enum and their names on the wire (JSON, CSV, query strings).
/// Spelling the names out, rather than deriving them from the member names, keeps the HTTP contract
/// stable when a member is renamed in code.
/// </summary>
internal sealed class WireNameMap<TEnum>
    where TEnum : struct, Enum
{
    private readonly FrozenDictionary<TEnum, string> toWire;
    private readonly FrozenDictionary<string, TEnum> fromWire;

    public WireNameMap(params (TEnum Value, string Wire)[] pairs)
    {
        toWire = pairs.ToFrozenDictionary(p => p.Value, p => p.Wire);
        fromWire = pairs.ToFrozenDictionary(p => p.Wire, p => p.Value, StringComparer.Ordinal);
        Names = [.. pairs.Select(p => p.Wire)];

        // A member added to the enum without a wire name would otherwise fail only at run time, deep in a request.
        var missing = Enum.GetValues<TEnum>().Where(v => !toWire.ContainsKey(v)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"{typeof(TEnum).Name} has no wire name for: {string.Join(", ", missing)}.");
        }
    }

    /// <summary>Every wire name, in declaration order: handy for "must be one of …" messages.</summary>
    public IReadOnlyList<string> Names { get; }

    public string ToWire(TEnum value) =>
        toWire.TryGetValue(value, out var wire)
            ? wire
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a defined {typeof(TEnum).Name}.");

    /// <summary>Exact, case-sensitive match: the contract's names are lower-case and binding.</summary>
    public bool TryParse(string? wire, out TEnum value)
    {
        if (wire is not null && fromWire.TryGetValue(wire, out value))
        {
            return true;
        }

        value = default;
        return false;
    }
}
