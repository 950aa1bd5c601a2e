namespace CommissionPlanner.Domain;

/// <summary>
/// A position on the Earth in decimal degrees (WGS 84). The constructor does not validate, so that
/// stored data always loads; check user input with <see cref="IsValid(double, double)"/> first.
/// </summary>
public sealed record GeoPoint(double Latitude, double Longitude)
{
    /// <summary>True when the latitude is in [-90, 90] and the longitude in [-180, 180], both finite.</summary>
    public static bool IsValid(double latitude, double longitude) =>
        double.IsFinite(latitude) && double.IsFinite(longitude)
        && latitude is >= -90 and <= 90
        && longitude is >= -180 and <= 180;
}

/// <summary>Distances along the Earth's surface, treating the Earth as a sphere.</summary>
public static class GreatCircle
{
    /// <summary>The IUGG mean Earth radius; the spherical model is within about 0.5 % of the ellipsoid, ample for travel estimates.</summary>
    public const double MeanEarthRadiusKm = 6371.0088;

    /// <summary>The great-circle distance in kilometres between two points (haversine formula).</summary>
    public static double DistanceKm(GeoPoint a, GeoPoint b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);

        var lat1 = DegreesToRadians(a.Latitude);
        var lat2 = DegreesToRadians(b.Latitude);
        var deltaLat = lat2 - lat1;
        var deltaLon = DegreesToRadians(b.Longitude - a.Longitude);

        var sinHalfLat = Math.Sin(deltaLat / 2);
        var sinHalfLon = Math.Sin(deltaLon / 2);
        var h = (sinHalfLat * sinHalfLat) + (Math.Cos(lat1) * Math.Cos(lat2) * sinHalfLon * sinHalfLon);

        // Rounding can push h a hair above 1 for antipodal points, and Asin would then return NaN.
        h = Math.Clamp(h, 0, 1);
        return 2 * MeanEarthRadiusKm * Math.Asin(Math.Sqrt(h));
    }

    private static double DegreesToRadians(double degrees) => degrees * Math.PI / 180;
}
