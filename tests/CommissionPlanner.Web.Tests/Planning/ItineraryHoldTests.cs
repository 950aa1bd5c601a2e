using CommissionPlanner.Domain;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CommissionPlanner.Web.Tests.Planning;

/// <summary>
/// The itinerary grain's in-memory holds: a writer releases its hold with a one-way call it does not wait for, so a
/// release may arrive after the same engagement has been reserved again. It must drop only the hold it names.
/// </summary>
public sealed class ItineraryHoldTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static readonly Place Diaoyutai = new(Guid.CreateVersion7(), "Beijing", "CN", new GeoPoint(39.92, 116.31));

    private IGrainFactory Grains => fixture.App.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task A_late_release_does_not_drop_a_newer_hold_but_its_own_release_does()
    {
        // A person with no bookings in the database: only holds can clash.
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var itinerary = Grains.GetGrain<IItineraryGrain>(Guid.Parse(await jcm.NewDelegate(api)));
        var plenary = Slot("Plenary", 10);
        var bilateral = Slot("Bilateral", 10);

        var first = await itinerary.Reserve(new Orleans.Concurrency.Immutable<BookedSlot>(plenary));
        Assert.True(first.Reserved);
        await itinerary.Release(plenary.EngagementId, first.HoldId);
        var second = await itinerary.Reserve(new Orleans.Concurrency.Immutable<BookedSlot>(plenary));
        Assert.True(second.Reserved);
        Assert.NotEqual(first.HoldId, second.HoldId);

        // The first release again, as if it arrived late: the second hold stands, so the bilateral clashes with it.
        await itinerary.Release(plenary.EngagementId, first.HoldId);
        var clash = Assert.Single(await itinerary.Evaluate(new Orleans.Concurrency.Immutable<BookedSlot>(bilateral)));
        Assert.Contains(plenary.EngagementId, clash.EngagementIds);

        await itinerary.Release(plenary.EngagementId, second.HoldId);
        Assert.Empty(await WhenReleased(itinerary, bilateral));
    }

    [Fact]
    public async Task Nothing_is_held_for_a_person_who_does_not_exist()
    {
        var reservation = await Grains.GetGrain<IItineraryGrain>(Guid.CreateVersion7())
            .Reserve(new Orleans.Concurrency.Immutable<BookedSlot>(Slot("Plenary", 10)));

        Assert.False(reservation.Reserved);
        Assert.Null(reservation.Person);
        Assert.Empty(reservation.Clashes);
    }

    private static BookedSlot Slot(string title, int hour)
    {
        var start = Instant.FromUtc(2025, 11, 11, hour - 8, 0);
        return BookedSlot.AtVenue(Guid.CreateVersion7(), title, EngagementKind.Meeting, start, start + Duration.FromHours(1), Diaoyutai);
    }

    /// <summary>A one-way call has no answer to wait for: ask until the release has been applied, for at most 10 s.</summary>
    private static async Task<IReadOnlyList<ClashInfo>> WhenReleased(IItineraryGrain itinerary, BookedSlot slot)
    {
        var clashes = await itinerary.Evaluate(new Orleans.Concurrency.Immutable<BookedSlot>(slot));
        for (var attempt = 0; attempt < 100 && clashes.Count > 0; attempt++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            clashes = await itinerary.Evaluate(new Orleans.Concurrency.Immutable<BookedSlot>(slot));
        }

        return clashes;
    }
}
