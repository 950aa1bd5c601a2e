namespace CommissionPlanner.Domain;

/// <summary>The kind of room a stay is booked in.</summary>
public enum RoomType
{
    SingleRoom,
    DoubleRoom,
    TwinRoom,
    Suite,
}

/// <summary>The wire names of <see cref="RoomType"/>.</summary>
public static class RoomTypes
{
    private static readonly WireNameMap<RoomType> Map = new(
        (RoomType.SingleRoom, "single"),
        (RoomType.DoubleRoom, "double"),
        (RoomType.TwinRoom, "twin"),
        (RoomType.Suite, "suite"));

    /// <summary>Every wire name, in declaration order.</summary>
    public static IReadOnlyList<string> WireNames => Map.Names;

    /// <summary>Parses an exact, lower-case wire name; false for null, unknown or differently cased input.</summary>
    public static bool TryParse(string? wire, out RoomType value) => Map.TryParse(wire, out value);

    public static string ToWire(RoomType value) => Map.ToWire(value);
}
