namespace CommissionPlanner.Domain;

/// <summary>
/// What a warning is about: two engagements of one person that cannot both happen (they overlap in time, or there is
/// too little time to get from one to the other), or an engagement where the person cannot follow some of the others
/// (no shared working language and no interpreter: <see cref="Languages.InterpreterCoverage"/>).
/// </summary>
public enum ClashKind
{
    Overlap,
    Travel,
    Interpreter,
}

/// <summary>The wire names of <see cref="ClashKind"/>.</summary>
public static class ClashKinds
{
    private static readonly WireNameMap<ClashKind> Map = new(
        (ClashKind.Overlap, "overlap"),
        (ClashKind.Travel, "travel"),
        (ClashKind.Interpreter, "interpreter"));

    /// <summary>Every wire name, in declaration order.</summary>
    public static IReadOnlyList<string> WireNames => Map.Names;

    /// <summary>Parses an exact, lower-case wire name; false for null, unknown or differently cased input.</summary>
    public static bool TryParse(string? wire, out ClashKind value) => Map.TryParse(wire, out value);

    public static string ToWire(ClashKind value) => Map.ToWire(value);
}
