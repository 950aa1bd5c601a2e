namespace CommissionPlanner.Domain;

/// <summary>How a travel leg travels.</summary>
public enum TravelMode
{
    Flight,
    Train,
    Car,
    Other,
}

/// <summary>The wire names of <see cref="TravelMode"/>.</summary>
public static class TravelModes
{
    private static readonly WireNameMap<TravelMode> Map = new(
        (TravelMode.Flight, "flight"),
        (TravelMode.Train, "train"),
        (TravelMode.Car, "car"),
        (TravelMode.Other, "other"));

    /// <summary>Every wire name, in declaration order.</summary>
    public static IReadOnlyList<string> WireNames => Map.Names;

    /// <summary>Parses an exact, lower-case wire name; false for null, unknown or differently cased input.</summary>
    public static bool TryParse(string? wire, out TravelMode value) => Map.TryParse(wire, out value);

    public static string ToWire(TravelMode value) => Map.ToWire(value);

    /// <summary>An engagement that is not a travel leg has no mode: null.</summary>
    public static string? ToWire(TravelMode? value) => value is { } mode ? Map.ToWire(mode) : null;
}
