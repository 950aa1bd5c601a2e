using NodaTime.Testing.TimeZones;
using NodaTime.TimeZones;
using static CommissionPlanner.Domain.Tests.TestData;

namespace CommissionPlanner.Domain.Tests;

public class PlannedTimeTests
{
    private static readonly IDateTimeZoneProvider Tzdb = DateTimeZoneProviders.Tzdb;

    [Fact]
    public void Ten_in_the_morning_in_Beijing_on_11_November_2025_is_two_UTC()
    {
        var resolution = PlannedTime.Resolve(Local("2025-11-11T10:00"), Shanghai, Tzdb);

        Assert.True(resolution.Succeeded);
        Assert.Null(resolution.Error);
        Assert.Equal(Instant.FromUtc(2025, 11, 11, 2, 0), resolution.Instant);
    }

    [Fact]
    public void An_unknown_zone_is_an_error_naming_the_zone_and_the_local_time()
    {
        var resolution = PlannedTime.Resolve(Local("2025-11-11T10:00"), "Asia/Peking", Tzdb);

        Assert.False(resolution.Succeeded);
        Assert.Null(resolution.Instant);
        Assert.Contains("'Asia/Peking' is not a known time zone", resolution.Error, StringComparison.Ordinal);
        Assert.Contains("2025-11-11T10:00", resolution.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("asia/shanghai-ish")]
    public void Blank_or_made_up_zone_ids_are_errors_not_exceptions(string zoneId)
    {
        Assert.False(PlannedTime.Resolve(Local("2025-11-11T10:00"), zoneId, Tzdb).Succeeded);
        Assert.False(PlannedTime.IsKnownZone(zoneId, Tzdb));
    }

    [Fact]
    public void Known_zones_are_recognised()
    {
        Assert.True(PlannedTime.IsKnownZone(London, Tzdb));
        Assert.True(PlannedTime.IsKnownZone(Shanghai, Tzdb));
        Assert.True(PlannedTime.IsKnownZone("UTC", Tzdb));
    }

    [Fact]
    public void A_London_time_skipped_when_the_clocks_go_forward_is_an_error_not_a_shift()
    {
        var resolution = PlannedTime.Resolve(Local("2026-03-29T01:30"), London, Tzdb);

        Assert.False(resolution.Succeeded);
        Assert.Null(resolution.Instant);
        Assert.Equal(
            "2026-03-29T01:30 does not exist in Europe/London: the clocks go forward from 01:00 to 02:00 that day. "
            + "Choose a time before 01:00 or from 02:00.",
            resolution.Error);
    }

    [Fact]
    public void A_London_time_that_happens_twice_when_the_clocks_go_back_is_an_error_not_a_guess()
    {
        var resolution = PlannedTime.Resolve(Local("2026-10-25T01:30"), London, Tzdb);

        Assert.False(resolution.Succeeded);
        Assert.Null(resolution.Instant);
        Assert.Equal(
            "2026-10-25T01:30 happens twice in Europe/London because the clocks go back from 02:00 to 01:00 that day "
            + "(first at UTC+01:00, then at UTC+00:00). Choose a time before 01:00 or from 02:00.",
            resolution.Error);
    }

    [Fact]
    public void A_day_skipped_entirely_is_explained_with_full_dates()
    {
        // Samoa moved across the date line at the end of 29 December 2011; 30 December never happened there.
        var resolution = PlannedTime.Resolve(Local("2011-12-30T10:00"), "Pacific/Apia", Tzdb);

        Assert.Equal(
            "2011-12-30T10:00 does not exist in Pacific/Apia: the clocks go forward from 2011-12-30T00:00 to 2011-12-31T00:00. "
            + "Choose a time before 2011-12-30T00:00 or from 2011-12-31T00:00.",
            resolution.Error);
    }

    [Fact]
    public void The_edges_of_the_London_clock_changes_resolve()
    {
        Assert.Equal(Instant.FromUtc(2026, 3, 29, 1, 0), At("2026-03-29T02:00", London));
        Assert.Equal(Instant.FromUtc(2026, 3, 29, 0, 59), At("2026-03-29T00:59", London));
        Assert.Equal(Instant.FromUtc(2026, 10, 24, 23, 59), At("2026-10-25T00:59", London));
        Assert.Equal(Instant.FromUtc(2026, 10, 25, 2, 0), At("2026-10-25T02:00", London));
    }

    [Fact]
    public void A_nine_oclock_London_meeting_moves_an_hour_earlier_in_UTC_across_the_March_change_while_Beijing_stays_put()
    {
        var beforeChange = At("2026-03-27T09:00", London);
        var afterChange = At("2026-03-30T09:00", London);

        Assert.Equal(Instant.FromUtc(2026, 3, 27, 9, 0), beforeChange);
        Assert.Equal(Instant.FromUtc(2026, 3, 30, 8, 0), afterChange);

        Assert.Equal(Offset.FromHours(8), OffsetBetweenBeijingAndLondon(beforeChange));
        Assert.Equal(Offset.FromHours(7), OffsetBetweenBeijingAndLondon(afterChange));
    }

    [Fact]
    public void Seconds_are_shown_in_messages_only_when_given()
    {
        var resolution = PlannedTime.Resolve(new LocalDateTime(2026, 3, 29, 1, 30, 15), London, Tzdb);

        Assert.StartsWith("2026-03-29T01:30:15 does not exist", resolution.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_zone_provider_can_be_used()
    {
        var zone = new SingleTransitionDateTimeZone(Instant.FromUtc(2026, 1, 1, 0, 0), Offset.Zero, Offset.FromHours(2));
        var provider = new FakeDateTimeZoneSource.Builder { zone }.Build();
        var zones = new DateTimeZoneCache(provider);

        Assert.Equal(Instant.FromUtc(2026, 6, 1, 8, 0), PlannedTime.Resolve(Local("2026-06-01T10:00"), zone.Id, zones).Instant);
        Assert.False(PlannedTime.Resolve(Local("2026-01-01T01:00"), zone.Id, zones).Succeeded);
    }

    private static Offset OffsetBetweenBeijingAndLondon(Instant instant) =>
        Tzdb[Shanghai].GetUtcOffset(instant) - Tzdb[London].GetUtcOffset(instant);
}
