using CommissionPlanner.Domain.Logistics;

namespace CommissionPlanner.Domain.Tests.Logistics;

public class TransferRulesTests
{
    private static readonly Guid Minibus = Guid.NewGuid();
    private static readonly Guid Car = Guid.NewGuid();

    private static VehicleTransfer Transfer(string title, Guid vehicle, string start, string end, bool cancelled = false) =>
        new(Guid.NewGuid(), title, vehicle, TestData.At(start, TestData.Shanghai), TestData.At(end, TestData.Shanghai), 3, cancelled);

    [Fact]
    public void Passengers_fit_the_seats_or_the_numbers_are_said()
    {
        Assert.Null(TransferRules.SeatsProblem("Airport run", 6, 6));
        Assert.Equal("The transfer 'Airport run' has 7 passengers but its vehicle has 6 seats.", TransferRules.SeatsProblem("Airport run", 6, 7));
    }

    [Fact]
    public void A_vehicle_is_in_one_transfer_at_a_time_back_to_back_is_fine_and_cancelled_transfers_hold_nothing()
    {
        var pickup = Transfer("Pickup", Minibus, "2025-11-12T11:45", "2025-11-12T12:50");
        var overlapping = Transfer("Drop-off", Minibus, "2025-11-12T12:00", "2025-11-12T13:00");
        var backToBack = Transfer("Next run", Minibus, "2025-11-12T12:50", "2025-11-12T13:30");
        var otherCar = Transfer("Other car", Car, "2025-11-12T12:00", "2025-11-12T13:00");
        var cancelled = Transfer("Cancelled", Minibus, "2025-11-12T11:00", "2025-11-12T14:00", cancelled: true);

        var pairs = TransferRules.DoubleBookings([backToBack, overlapping, otherCar, cancelled, pickup]).ToList();

        Assert.Equal([("Pickup", "Drop-off"), ("Drop-off", "Next run")], pairs.Select(p => (p.First.Title, p.Second.Title)));
    }

    [Fact]
    public void A_stay_at_a_sensitive_hotel_needs_a_review_and_a_decision_is_looked_at_again_after_a_move()
    {
        Assert.Equal(ReviewStatus.Required, StayReviews.Initial(sensitiveHotel: true));
        Assert.Equal(ReviewStatus.NotRequired, StayReviews.Initial(sensitiveHotel: false));
        Assert.Equal(ReviewStatus.Required, StayReviews.AfterHotelChange(sensitiveHotel: false, everDecided: true));
        Assert.Equal(ReviewStatus.NotRequired, StayReviews.AfterHotelChange(sensitiveHotel: false, everDecided: false));
        Assert.Equal(ReviewStatus.Required, StayReviews.AfterHotelMarkedSensitive(ReviewStatus.NotRequired));
        Assert.Equal(ReviewStatus.Approved, StayReviews.AfterHotelMarkedSensitive(ReviewStatus.Approved));
    }
}
