namespace CommissionPlanner.Domain;

/// <summary>
/// The assumptions behind <see cref="TransferEstimate"/>: deliberately rough, door-to-door figures
/// that catch impossible schedules without pretending to be a journey planner.
/// </summary>
public sealed record TravelOptions
{
    /// <summary>The defaults described on each property.</summary>
    public static TravelOptions Default { get; } = new();

    /// <summary>Time to move between two venues in the same city (15 minutes).</summary>
    public Duration SameCityBuffer { get; init; } = Duration.FromMinutes(15);

    /// <summary>Below this great-circle distance people go by road or rail; at or above it, they fly (300 km).</summary>
    public double GroundThresholdKm { get; init; } = 300;

    /// <summary>Average door-to-door ground speed, straight-line distance over time (60 km/h).</summary>
    public double GroundSpeedKmh { get; init; } = 60;

    /// <summary>Fixed time on top of ground travel: getting to the car or station, parking, walking in (30 minutes).</summary>
    public Duration GroundOverhead { get; init; } = Duration.FromMinutes(30);

    /// <summary>Average speed of the flight itself over the great-circle distance (800 km/h).</summary>
    public double AirSpeedKmh { get; init; } = 800;

    /// <summary>Fixed time on top of the flight: check-in, security and airport transfers at both ends (3 hours).</summary>
    public Duration AirOverhead { get; init; } = Duration.FromHours(3);

    /// <summary>How long before a flight departs a drop-off must arrive: check-in, bags and security (60 minutes).</summary>
    public Duration FlightCheckIn { get; init; } = Duration.FromMinutes(60);

    /// <summary>How long before a train departs a drop-off must arrive (15 minutes).</summary>
    public Duration TrainCheckIn { get; init; } = Duration.FromMinutes(15);

    /// <summary>The check-in margin before <paramref name="departure"/>, a flight or train; zero for anything else.</summary>
    public Duration CheckInBefore(BookedSlot departure)
    {
        ArgumentNullException.ThrowIfNull(departure);
        return departure.Mode switch
        {
            _ when !departure.IsScheduled => Duration.Zero,
            TravelMode.Flight => FlightCheckIn,
            _ => TrainCheckIn,
        };
    }
}
