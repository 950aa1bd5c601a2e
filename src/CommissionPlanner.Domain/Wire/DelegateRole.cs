namespace CommissionPlanner.Domain;

/// <summary>A delegate's role within their delegation.</summary>
public enum DelegateRole
{
    Head,
    Member,
    Official,
    Support,
}

/// <summary>The wire names of <see cref="DelegateRole"/>.</summary>
public static class DelegateRoles
{
    private static readonly WireNameMap<DelegateRole> Map = new(
        (DelegateRole.Head, "head"),
        (DelegateRole.Member, "member"),
        (DelegateRole.Official, "official"),
        (DelegateRole.Support, "support"));

    /// <summary>Every wire name, in declaration order.</summary>
    public static IReadOnlyList<string> WireNames => Map.Names;

    /// <summary>Parses an exact, lower-case wire name; false for null, unknown or differently cased input.</summary>
    public static bool TryParse(string? wire, out DelegateRole value) => Map.TryParse(wire, out value);

    public static string ToWire(DelegateRole value) => Map.ToWire(value);
}
