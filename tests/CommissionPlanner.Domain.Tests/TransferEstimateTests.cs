using static CommissionPlanner.Domain.Tests.TestData;

namespace CommissionPlanner.Domain.Tests;

public class TransferEstimateTests
{
    private static readonly TravelOptions Defaults = TravelOptions.Default;

    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        Assert.Equal(Duration.FromMinutes(15), Defaults.SameCityBuffer);
        Assert.Equal(300, Defaults.GroundThresholdKm);
        Assert.Equal(60, Defaults.GroundSpeedKmh);
        Assert.Equal(Duration.FromMinutes(30), Defaults.GroundOverhead);
        Assert.Equal(800, Defaults.AirSpeedKmh);
        Assert.Equal(Duration.FromHours(3), Defaults.AirOverhead);
        Assert.Equal(Defaults, new TravelOptions());
    }

    [Fact]
    public void Staying_at_the_same_venue_needs_no_time() =>
        Assert.Equal(Duration.Zero, TransferEstimate.Required(GreatHall, GreatHall, Defaults));

    [Fact]
    public void Moving_within_a_city_needs_the_same_city_buffer_whatever_the_distance()
    {
        Assert.Equal(Duration.FromMinutes(15), TransferEstimate.Required(GreatHall, BeijingCapitalAirport, Defaults));
        Assert.Equal(Duration.FromMinutes(40), TransferEstimate.Required(GreatHall, Tsinghua, Defaults with { SameCityBuffer = Duration.FromMinutes(40) }));
    }

    [Fact]
    public void London_to_Oxford_goes_by_road_overhead_plus_distance_at_ground_speed()
    {
        var distance = GreatCircle.DistanceKm(LancasterHouse.Point, Oxford.Point);
        Assert.InRange(distance, 70, 90);

        var expected = Duration.FromMinutes(30 + Math.Ceiling(distance));
        Assert.Equal(expected, TransferEstimate.Required(LancasterHouse, Oxford, Defaults));
    }

    [Fact]
    public void Beijing_to_Guangzhou_flies_three_hours_overhead_plus_distance_at_air_speed()
    {
        var distance = GreatCircle.DistanceKm(GreatHall.Point, CcusCentre.Point);
        var required = TransferEstimate.Required(GreatHall, CcusCentre, Defaults);

        Assert.Equal(Duration.FromHours(3) + Duration.FromMinutes(Math.Ceiling(distance / 800 * 60)), required);
        Assert.InRange(required, Duration.FromMinutes(320), Duration.FromMinutes(325));
    }

    [Fact]
    public void The_estimate_is_rounded_up_to_whole_minutes()
    {
        var required = TransferEstimate.Required(LancasterHouse, Oxford, Defaults);

        Assert.Equal(0, required.SubsecondNanoseconds);
        Assert.Equal(0, required.Seconds);
    }

    [Fact]
    public void The_threshold_decides_between_ground_and_air()
    {
        var distance = GreatCircle.DistanceKm(LancasterHouse.Point, Oxford.Point);
        var justAbove = Defaults with { GroundThresholdKm = distance + 0.001 };
        var exactly = Defaults with { GroundThresholdKm = distance };

        Assert.True(TransferEstimate.Required(LancasterHouse, Oxford, justAbove) < Duration.FromHours(3));
        Assert.True(TransferEstimate.Required(LancasterHouse, Oxford, exactly) > Duration.FromHours(3));
    }

    [Fact]
    public void A_whole_number_of_minutes_is_not_rounded_up_by_floating_point_noise()
    {
        // Equator points 1 degree of longitude apart, at a ground speed that makes the trip exactly 60 minutes.
        var a = new Place(Guid.NewGuid(), "A", "GB", new GeoPoint(0, 0));
        var b = new Place(Guid.NewGuid(), "B", "GB", new GeoPoint(0, 1));
        var distance = GreatCircle.DistanceKm(a.Point, b.Point);
        var options = Defaults with { GroundSpeedKmh = distance, GroundOverhead = Duration.Zero };

        Assert.Equal(Duration.FromMinutes(60), TransferEstimate.Required(a, b, options));
    }
}
