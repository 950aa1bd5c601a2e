namespace CommissionPlanner.Domain.Tests;

public class GreatCircleTests
{
    [Fact]
    public void Beijing_to_Guangzhou_is_about_1890_km()
    {
        var beijing = new GeoPoint(39.9042, 116.4074);
        var guangzhou = new GeoPoint(23.1291, 113.2644);

        Assert.InRange(GreatCircle.DistanceKm(beijing, guangzhou), 1880, 1900);
    }

    [Fact]
    public void The_distance_is_the_same_in_both_directions_and_zero_to_itself()
    {
        var london = new GeoPoint(51.5074, -0.1278);
        var beijing = new GeoPoint(39.9042, 116.4074);

        Assert.Equal(GreatCircle.DistanceKm(london, beijing), GreatCircle.DistanceKm(beijing, london), 9);
        Assert.Equal(0, GreatCircle.DistanceKm(london, london));
        Assert.InRange(GreatCircle.DistanceKm(london, beijing), 8100, 8200);
    }

    [Fact]
    public void Antipodal_points_are_half_the_circumference_apart()
    {
        var distance = GreatCircle.DistanceKm(new GeoPoint(0, 0), new GeoPoint(0, 180));

        Assert.Equal(Math.PI * GreatCircle.MeanEarthRadiusKm, distance, 6);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(90, 180)]
    [InlineData(-90, -180)]
    [InlineData(39.9042, 116.4074)]
    public void Coordinates_within_range_are_valid(double latitude, double longitude) =>
        Assert.True(GeoPoint.IsValid(latitude, longitude));

    [Theory]
    [InlineData(90.0001, 0)]
    [InlineData(-91, 0)]
    [InlineData(0, 180.5)]
    [InlineData(0, -181)]
    [InlineData(double.NaN, 0)]
    [InlineData(0, double.PositiveInfinity)]
    public void Coordinates_out_of_range_or_not_finite_are_invalid(double latitude, double longitude) =>
        Assert.False(GeoPoint.IsValid(latitude, longitude));
}
