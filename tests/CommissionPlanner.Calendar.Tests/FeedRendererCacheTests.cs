using CommissionPlanner.Calendar.Tests.Support;
using NodaTime;

namespace CommissionPlanner.Calendar.Tests;

/// <summary>The per-event cache: a change re-serializes the events it touches and no others, and never serves stale text.</summary>
public sealed class FeedRendererCacheTests
{
    private static List<FeedEvent> Many(int count) => [.. Enumerable.Range(0, count).Select(i => TestData.Plenary() with
    {
        EngagementId = new Guid(i, 1, 2, new byte[8]),
        StartLocal = new LocalDateTime(2025, 11, 11, 8, 0).PlusHours(i),
        EndLocal = new LocalDateTime(2025, 11, 11, 9, 0).PlusHours(i),
        Title = $"Session {i}",
    })];

    private static byte[] Cold(FeedCalendar calendar) => FeedRenderer.RenderUtf8(calendar, new FeedRenderCache());

    [Fact]
    public void After_one_engagement_changes_only_that_event_is_serialized_again()
    {
        var cache = new FeedRenderCache();
        var events = Many(50);
        FeedRenderer.RenderUtf8(TestData.Organiser(events), cache);
        Assert.Equal(50, cache.EventsSerialized);

        // A fresh copy of every value, as a new read from PostgreSQL gives.
        var reread = events.Select(e => e with { Title = new string(e.Title), Areas = [.. e.Areas], Attendees = [.. e.Attendees] }).ToList();
        reread[7] = reread[7] with { Sequence = 4, StartLocal = reread[7].StartLocal.PlusMinutes(30) };
        var changed = TestData.Organiser(reread);
        var bytes = FeedRenderer.RenderUtf8(changed, cache);
        Assert.Equal(51, cache.EventsSerialized);
        Assert.Equal(Cold(changed), bytes);
    }

    public static TheoryData<string> Changes =>
    [
        "title", "description", "venue address", "attendee response", "attendee added", "area", "status", "review", "sequence", "updated",
    ];

    [Theory]
    [MemberData(nameof(Changes))]
    public void Every_kind_of_change_is_seen(string change)
    {
        var cache = new FeedRenderCache();
        var plenary = TestData.Plenary();
        FeedRenderer.RenderUtf8(TestData.Single(plenary), cache);
        var after = change switch
        {
            "title" => plenary with { Title = "New title" },
            "description" => plenary with { Description = "New agenda" },
            "venue address" => plenary with { Place = plenary.Place with { Address = "2 Other Street" } },
            "attendee response" => plenary with { Attendees = [TestData.MinisterAttendee with { Response = "declined" }, .. plenary.Attendees.Skip(1)] },
            "attendee added" => plenary with { Attendees = [.. plenary.Attendees, TestData.AcademicAttendee with { PersonId = Guid.NewGuid() }] },
            "area" => plenary with { Areas = [.. plenary.Areas, "health"] },
            "status" => plenary with { Status = "cancelled" },
            "review" => plenary with { ReviewPending = true },
            "sequence" => plenary with { Sequence = plenary.Sequence + 1 },
            "updated" => plenary with { UpdatedAt = plenary.UpdatedAt + Duration.FromSeconds(1) },
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        var calendar = TestData.Single(after);
        Assert.Equal(Cold(calendar), FeedRenderer.RenderUtf8(calendar, cache));
        Assert.Equal(2, cache.EventsSerialized);
    }

    [Fact]
    public void Viewers_tiers_links_and_organisers_get_their_own_text()
    {
        var cache = new FeedRenderCache();
        FeedCalendar[] feeds =
        [
            TestData.Organiser(),
            TestData.PersonFeed(TestData.Minister),
            TestData.PersonFeed(TestData.Academic),
            TestData.BusyFeed(),
            TestData.Organiser() with { ShowAllAttendees = false, OwnerPersonId = null },
            TestData.Organiser() with { EventUrl = id => $"https://other.example/{id}" },
            TestData.Organiser() with { OrganizerEmail = "other@example.org" },
        ];
        foreach (var round in Enumerable.Range(0, 2))
        {
            foreach (var feed in feeds)
            {
                Assert.Equal(Cold(feed), FeedRenderer.RenderUtf8(feed, cache));
            }
        }
    }

    [Fact]
    public void A_busy_feed_does_not_serialize_again_for_a_change_it_does_not_show()
    {
        var cache = new FeedRenderCache();
        FeedRenderer.RenderUtf8(TestData.BusyFeed([TestData.Plenary()]), cache);
        var renamed = TestData.BusyFeed([TestData.Plenary() with { Title = "Renamed", Description = "Other", Attendees = [] }]);
        Assert.Equal(Cold(renamed), FeedRenderer.RenderUtf8(renamed, cache));
        Assert.Equal(1, cache.EventsSerialized);
    }

    [Fact]
    public void A_full_cache_starts_again_and_stays_correct()
    {
        var cache = new FeedRenderCache(maxBytes: 4_000);
        var events = Many(30);
        var calendar = TestData.Organiser(events);
        Assert.Equal(Cold(calendar), FeedRenderer.RenderUtf8(calendar, cache));
        Assert.True(cache.Bytes <= 4_000);
        Assert.Equal(Cold(calendar), FeedRenderer.RenderUtf8(calendar, cache));
    }

    [Fact]
    public void Text_that_quotes_the_attendee_marker_and_names_that_fold_mid_emoji_render_as_Ical_Net_writes_the_whole_calendar()
    {
        // The attendee lines are spliced in where a marker line stands (AttendeeLines): text that quotes the marker is a
        // value, never a marker, and an attendee line whose fold Ical.Net splits inside an emoji is repaired as any line is.
        const string marker = "X-COMMISSION-PLANNER-ATTENDEE-LINES:1";
        var events = Many(3);
        events[0] = events[0] with
        {
            Title = marker,
            Description = "before\n" + marker + "\r\n" + marker,
            Attendees = [TestData.MinisterAttendee with { FullName = marker + " " + string.Concat(Enumerable.Repeat("🎉", 40)) }, .. events[0].Attendees],
        };
        var calendar = TestData.Organiser(events);

        var bytes = Cold(calendar);

        Assert.Equal(Ics.Bytes(FeedRenderer.Serialize(FeedRenderer.BuildCalendar(calendar))), bytes);
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.DoesNotContain("\r\n" + marker, text, StringComparison.Ordinal);
        Assert.Contains("SUMMARY:X-COMMISSION-PLANNER-ATTENDEE-LINES:1", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', text);
    }
}
