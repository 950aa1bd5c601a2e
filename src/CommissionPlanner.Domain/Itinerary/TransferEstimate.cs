using System.Runtime.CompilerServices;

namespace CommissionPlanner.Domain;

/// <summary>How long a person needs to get from the end of one engagement to the start of the next.</summary>
public static class TransferEstimate
{
    /// <summary>
    /// Zero at the same venue; <see cref="TravelOptions.SameCityBuffer"/> within a city; otherwise a
    /// fixed overhead plus the great-circle distance at ground or air speed, rounded up to whole minutes.
    /// </summary>
    // Optimised at its first call, as ItineraryRules' per-booking helpers are (see there).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Duration Required(Place from, Place to, TravelOptions options)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(options);

        if (from.VenueId == to.VenueId)
        {
            return Duration.Zero;
        }

        if (from.IsSameCityAs(to))
        {
            return options.SameCityBuffer;
        }

        var distanceKm = GreatCircle.DistanceKm(from.Point, to.Point);
        var (overhead, speedKmh) = distanceKm < options.GroundThresholdKm
            ? (options.GroundOverhead, options.GroundSpeedKmh)
            : (options.AirOverhead, options.AirSpeedKmh);

        var movingMinutes = distanceKm / speedKmh * 60;

        // The tolerance keeps floating-point noise (60.0000000001) from adding a whole minute.
        var wholeMinutes = Math.Ceiling(movingMinutes - 1e-9);
        return overhead + Duration.FromMinutes(Math.Max(0, wholeMinutes));
    }
}
