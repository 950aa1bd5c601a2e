using System.Text.Json;
using CommissionPlanner.Web.Tests.Infrastructure;

namespace CommissionPlanner.Web.Tests.Planning;

public sealed class ItineraryAndConflictTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static readonly string[] EntryFields =
        ["engagementId", "kind", "title", "venue", "start", "end", "timeZone", "endTimeZone", "startUtc", "endUtc", "status", "response", "attendance"];

    private PlanningClient Api() => new(fixture.App.AdminClient());

    [Fact]
    public async Task An_itinerary_lists_the_persons_engagements_in_time_order_with_local_and_utc_times()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var minister = await jcm.NewDelegate(api, "Dr Jonathan Whitcombe");
        var london = await api.CreateVenue(Jcm.LancasterHouse());
        // Added out of order on purpose.
        var flightHome = await api.CreateTravelLeg(jcm.ProgrammeId, jcm.BeijingAirport, london.Id(), "2025-11-12T13:00", "2025-11-12T17:30", "Flight home", "flight", "BA 038");
        var tsinghua = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:00", "2025-11-11T16:30", "Visit to Tsinghua ICON", "site-visit");
        var plenary = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary");
        foreach (var engagement in new[] { flightHome, tsinghua, plenary })
        {
            await api.AddAttendee(engagement.Id(), minister);
        }

        var itinerary = await api.GetItinerary(minister);

        Assert.NotEqual(JsonValueKind.Undefined, itinerary.Required("person").ValueKind);
        Assert.Empty(itinerary.Required("warnings").Items());
        var entries = itinerary.Required("entries").Items();
        Assert.Equal([plenary.Id(), tsinghua.Id(), flightHome.Id()], entries.Select(e => e.Str("engagementId")).ToArray());
        Assert.All(entries, e => Assert.All(EntryFields, f => e.Required(f)));

        var first = entries[0];
        Assert.Equal("meeting", first.Str("kind"));
        Assert.Equal("Plenary", first.Str("title"));
        PlanningAssert.LocalTime("2025-11-11T10:00", first.Required("start"));
        Assert.Equal("Asia/Shanghai", first.Str("timeZone"));
        Assert.Equal("2025-11-11T02:00:00Z", first.Str("startUtc"));
        Assert.Equal("tentative", first.Str("status"));
        Assert.Equal("needs-action", first.Str("response"));
        Assert.Equal("attending", first.Str("attendance"));

        var last = entries[2];
        Assert.Equal("travel", last.Str("kind"));
        Assert.Equal("Asia/Shanghai", last.Str("timeZone"));
        Assert.Equal("Europe/London", last.Str("endTimeZone"));
        PlanningAssert.LocalTime("2025-11-12T17:30", last.Required("end"));
        PlanningAssert.UtcTime("2025-11-12T17:30:00Z", last.Required("endUtc"));
    }

    [Fact]
    public async Task A_programme_without_clashes_has_an_empty_conflict_list()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api);
        var plenary = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary");
        await api.AddAttendee(plenary.Id(), person);

        Assert.Empty((await api.GetConflicts(jcm.ProgrammeId)).Items());
    }

    [Fact]
    public async Task Rescheduling_into_a_clash_succeeds_bumps_sequence_and_shows_warnings_and_an_overlap_conflict()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var minister = await jcm.NewDelegate(api, "Dr Jonathan Whitcombe");
        var plenary = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary");
        var bilateral = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T14:00", "2025-11-11T15:00", "Bilateral with MOST");
        await api.AddAttendee(plenary.Id(), minister);
        await api.AddAttendee(bilateral.Id(), minister);
        var sequence = bilateral.Required("sequence").GetInt32();

        var moved = await api.PatchEngagement(bilateral.Id(), new { start = "2025-11-11T12:00", end = "2025-11-11T13:00" });

        Assert.True(moved.Required("sequence").GetInt32() > sequence, moved.GetRawText());
        PlanningAssert.UtcTime("2025-11-11T04:00:00Z", moved.Required("startUtc"));
        Assert.NotEmpty(moved.Required("warnings").Items());

        var itinerary = await api.GetItinerary(minister);
        Assert.NotEmpty(itinerary.Required("warnings").Items());
        Assert.Equal([plenary.Id(), bilateral.Id()], itinerary.Required("entries").Items().Select(e => e.Str("engagementId")).ToArray());

        var conflicts = (await api.GetConflicts(jcm.ProgrammeId)).Items();
        var overlap = Assert.Single(conflicts, c => c.Str("kind") == "overlap");
        Assert.Equal(minister, overlap.Str("personId"));
        Assert.Equal(
            new[] { plenary.Id(), bilateral.Id() }.Order(StringComparer.Ordinal),
            overlap.Required("engagementIds").Items().Select(i => i.GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.String, overlap.Required("detail").ValueKind);
    }

    [Fact]
    public async Task Moving_a_visit_to_Guangzhou_too_soon_after_Beijing_shows_a_travel_conflict()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var minister = await jcm.NewDelegate(api, "Dr Jonathan Whitcombe");
        var plenary = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-12T08:00", "2025-11-12T09:00", "Breakfast bilateral");
        var visit = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-12T11:00", "2025-11-12T12:00", "Lab visit", "site-visit");
        await api.AddAttendee(plenary.Id(), minister);
        await api.AddAttendee(visit.Id(), minister);

        // The venue moves 1,900 km; the times stay.
        var moved = await api.PatchEngagement(visit.Id(), new { venueId = jcm.CcusCentre });

        Assert.NotEmpty(moved.Required("warnings").Items());
        var travel = Assert.Single((await api.GetConflicts(jcm.ProgrammeId)).Items(), c => c.Str("kind") == "travel");
        Assert.Equal(minister, travel.Str("personId"));
        Assert.Contains(plenary.Id(), travel.Required("engagementIds").Items().Select(i => i.GetString()));
        Assert.Contains(visit.Id(), travel.Required("engagementIds").Items().Select(i => i.GetString()));
    }

    [Fact]
    public async Task Cancelling_frees_the_persons_time_for_a_new_overlapping_engagement()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api);
        var tsinghua = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:00", "2025-11-11T16:30", "Visit to Tsinghua ICON", "site-visit");
        var press = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:30", "2025-11-11T16:00", "Press conference", "press");
        await api.AddAttendee(tsinghua.Id(), person);
        PlanningAssert.ConflictsName(await api.TryAddAttendee(press.Id(), person), tsinghua.Id());

        var cancelled = await api.CancelEngagement(tsinghua.Id(), "Postponed at the institute's request.");
        Assert.Equal("cancelled", cancelled.Str("status"));

        await api.AddAttendee(press.Id(), person);

        Assert.Equal("cancelled", (await api.GetEngagement(tsinghua.Id())).Str("status"));
        var entries = (await api.GetItinerary(person)).Required("entries").Items();
        Assert.Contains(entries, e => e.Str("engagementId") == press.Id());
        // The cancelled visit may stay in the itinerary (marked cancelled) or leave it.
        Assert.All(entries.Where(e => e.Str("engagementId") == tsinghua.Id()), e => Assert.Equal("cancelled", e.Str("status")));
        Assert.Empty((await api.GetConflicts(jcm.ProgrammeId)).Items());
    }

    [Fact]
    public async Task A_declined_engagement_does_not_block_the_persons_time()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api);
        var reception = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T18:30", "2025-11-11T20:30", "Reception", "reception");
        var dinner = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T19:00", "2025-11-11T21:00", "Working dinner");
        await api.AddAttendee(reception.Id(), person, "optional");
        await api.SetResponse(reception.Id(), person, "declined");

        // Not stated by the contract in so many words; the domain's rule is that declined engagements do not count.
        await api.AddAttendee(dinner.Id(), person);
    }
}
