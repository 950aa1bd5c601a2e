using System.Net;
using System.Text.RegularExpressions;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Logistics;
using CommissionPlanner.Web.Tests.Planning;
using Npgsql;

namespace CommissionPlanner.Web.Tests.Lists;

/// <summary>
/// Every paged list (docs/security.md, "Paging"): without limit or cursor it answers whole, as before; walking its pages
/// with a small limit gives the same items in the same order, none twice and none missed, with a Link only while more
/// follow; a bad limit or cursor is a 400 naming the field. The data has ties in every sort order but the id, so a cursor
/// that did not end in the id would repeat or lose rows here.
/// </summary>
public sealed partial class ListPagingTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private const string NoEngagements = "'{}'";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Programmes_and_venues_page_by_start_date_name_and_city_name()
    {
        using var api = Api();
        for (var i = 0; i < 4; i++)
        {
            // The same name and dates each time: only the id orders them.
            await api.CreateProgramme();
            await api.CreateVenue(Jcm.Diaoyutai());
        }

        await api.CreateProgramme("Earlier programme", "2025-01-01", "2025-01-02");
        await api.CreateVenue(Jcm.LancasterHouse());

        await AssertPagesMatchTheList(api, "/api/programmes", 3);
        await AssertPagesMatchTheList(api, "/api/venues", 2);
    }

    [Fact]
    public async Task A_programmes_engagements_page_in_time_order_with_the_filters_kept()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        for (var i = 0; i < 5; i++)
        {
            await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:00", $"Tied meeting {i}");
        }

        await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T11:00", "Shorter meeting");
        await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-12T09:00", "2025-11-12T10:00", "Visit", "site-visit");
        await api.CreateTravelLeg(jcm.ProgrammeId, jcm.BeijingAirport, jcm.GuangzhouAirport, "2025-11-12T14:00", "2025-11-12T17:15");

        var path = $"/api/programmes/{jcm.ProgrammeId}/engagements";
        Assert.Equal(8, await AssertPagesMatchTheList(api, path, 3));
        Assert.Equal(6, await AssertPagesMatchTheList(api, path + "?kind=meeting", 4));
        Assert.Equal(6, await AssertPagesMatchTheList(api, path + "?to=2025-11-12", 4));
    }

    [Fact]
    public async Task A_programmes_delegations_page_in_the_order_they_were_created_with_their_members_counted_toward_the_limit()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        foreach (var (name, country, members) in new[] { ("Chinese delegation", "CN", 3), ("Hong Kong observers", "CN", 0), ("Welsh delegation", "GB", 1), ("Scottish delegation", "GB", 6), ("Irish observers", "IE", 2) })
        {
            var delegation = await api.CreateDelegation(jcm.ProgrammeId, name, country);
            for (var i = 0; i < members; i++)
            {
                await api.AddMember(delegation.Id(), $"Member {i} of the {name}", i == 0 ? "head" : "member");
            }
        }

        // Rows of one import share their creation time: the delegation's id must order them.
        await Sql($"UPDATE delegations SET created_at = '2025-11-01T09:00:00Z' WHERE programme_id = '{jcm.ProgrammeId}' AND name LIKE '%observers'");

        var path = $"/api/programmes/{jcm.ProgrammeId}/delegations";
        var all = (await api.Get(path)).Ok().Items().Select(d => d.GetRawText()).ToList();
        Assert.Equal(6, all.Count);
        foreach (var limit in new[] { 1, 4, 7, 100 })
        {
            var walked = await WalkDelegations(api, path, limit);
            Assert.Equal(all, walked.SelectMany(p => p).Select(d => d.GetRawText()).ToList());
            for (var i = 0; i < walked.Count; i++)
            {
                // A page holds whole delegations whose objects (each delegation and its members) fit the limit, and as
                // many as fit: the next page's first would not. One alone may exceed it, so that paging moves on.
                var size = walked[i].Sum(Size);
                Assert.True(size <= limit || walked[i].Count == 1, $"Page {i + 1} by {limit} holds {size} objects.");
                Assert.True(i == walked.Count - 1 || size + Size(walked[i + 1][0]) > limit, $"Page {i + 1} by {limit} could hold one more delegation.");
            }
        }

        static int Size(System.Text.Json.JsonElement delegation) => 1 + delegation.GetProperty("members").GetArrayLength();
    }

    private static async Task<List<List<System.Text.Json.JsonElement>>> WalkDelegations(PlanningClient api, string path, int limit)
    {
        var pages = new List<List<System.Text.Json.JsonElement>>();
        string? next = $"{path}?limit={limit}";
        while (next is not null)
        {
            var page = await api.Get(next);
            pages.Add([.. page.Ok().Items()]);
            next = page.Headers.TryGetValue("Link", out var link) ? NextLink().Match(link).Groups[1].Value : null;
            Assert.True(pages.Count < 100, $"{path} pages without end.");
        }

        return pages;
    }

    [Fact]
    public async Task A_programmes_stays_and_vehicles_page_by_check_in_and_label()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var hotel = (await api.CreateVenue(HotelsAndTransfersTests.BeijingHotel())).Id();
        for (var i = 0; i < 5; i++)
        {
            var person = await jcm.NewDelegate(api, $"Guest {i}");
            (await HotelsAndTransfersTests.BookStay(api, person, hotel, i < 3 ? "2025-11-10" : "2025-11-11", "2025-11-13")).Created();
            (await api.Post($"/api/programmes/{jcm.ProgrammeId}/vehicles", new { label = i < 4 ? "Car" : "Minibus", seats = 4 })).Created();
        }

        Assert.Equal(5, await AssertPagesMatchTheList(api, $"/api/programmes/{jcm.ProgrammeId}/stays", 2));
        Assert.Equal(5, await AssertPagesMatchTheList(api, $"/api/programmes/{jcm.ProgrammeId}/vehicles", 2));
    }

    [Fact]
    public async Task Feeds_and_api_keys_page_in_the_order_they_were_made()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api);
        for (var i = 0; i < 3; i++)
        {
            (await api.Post($"/api/people/{person}/feeds", new { detail = "full" })).Created();
            (await api.Post($"/api/programmes/{jcm.ProgrammeId}/feeds", new { detail = "busy" })).Created();
            (await api.Post("/api/keys", new { name = $"Viewer {i}", role = "viewer" })).Created();
        }

        // Rows made in one statement share their creation time; the id must order them.
        await Sql($"UPDATE feeds SET created_at = '2025-11-11T10:00:00Z' WHERE programme_id = '{jcm.ProgrammeId}'");
        await Sql("UPDATE api_keys SET created_at = '2025-11-11T10:00:00Z' WHERE name LIKE 'Viewer %'");

        Assert.True(await AssertPagesMatchTheList(api, "/api/feeds", 2) >= 6);
        Assert.Equal(3, await AssertPagesMatchTheList(api, $"/api/feeds?subjectId={person}", 2));
        Assert.True(await AssertPagesMatchTheList(api, "/api/keys", 2) >= 3);
    }

    [Fact]
    public async Task Notifications_page_newest_first_and_pages_go_past_the_unpaged_1000()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var people = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            people.Add(await jcm.NewDelegate(api, $"Reader {i}"));
        }

        // Sent notifications, 1003 of them, many at the same instant: the newest 1000 are the unpaged answer.
        await Sql($"""
            INSERT INTO notifications (id, programme_id, person_id, status, created_at, sent_at, message_id, engagement_ids, attempts)
            SELECT gen_random_uuid(), '{jcm.ProgrammeId}', (ARRAY['{people[0]}','{people[1]}','{people[2]}']::uuid[])[1 + n % 3], 'sent',
                   timestamptz '2025-11-11T10:00:00Z' + (n / 4) * interval '1 minute', timestamptz '2025-11-11T10:05:00Z',
                   'paging-' || n || '@example.org', {NoEngagements}, 1
            FROM generate_series(1, 1003) AS n
            """);

        var path = $"/api/programmes/{jcm.ProgrammeId}/notifications";
        var unpaged = (await api.Get(path)).Ok().Items();
        Assert.Equal(1000, unpaged.Count);
        var walked = await Walk(api, path + "?status=sent", 250);
        Assert.Equal(1003, walked.Items.Count);
        Assert.Equal(unpaged.Select(n => n.GetRawText()), walked.Items.Take(1000));
        Assert.Equal(walked.Items.Count, walked.Items.Distinct().Count());
        Assert.Equal(335, await AssertPagesMatchTheList(api, $"{path}?personId={people[1]}", 100));
    }

    [Fact]
    public async Task An_engagements_promotions_page_oldest_first()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var visit = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:30", "2025-11-11T17:00", "Small visit", "site-visit", capacity: 1);
        var people = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            people.Add(await jcm.NewDelegate(api, $"Waiting {i}"));
            await api.AddAttendee(visit.Id(), people[^1]);
            await api.SetResponse(visit.Id(), people[^1], "accepted");
        }

        await api.SetResponse(visit.Id(), people[0], "declined");
        await api.SetResponse(visit.Id(), people[1], "declined");
        await api.PatchEngagement(visit.Id(), new { capacity = 3 });

        Assert.Equal(3, await AssertPagesMatchTheList(api, $"/api/engagements/{visit.Id()}/promotions", 1));
    }

    [Fact]
    public async Task An_attendee_list_pages_in_list_order_with_places_and_waiting_positions_of_the_whole_list()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var visit = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:30", "2025-11-11T17:00", "Lab visit", "site-visit", capacity: 2);
        var china = await api.CreateDelegation(jcm.ProgrammeId, "Chinese delegation", "CN");
        var invited = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            invited.Add(await jcm.NewDelegate(api, $"UK delegate {i}"));
            invited.Add((await api.AddMember(china.Id(), $"CN delegate {i}")).Id());
        }

        // Invited in an order unlike list order; the later acceptances wait, and pages must still show their positions.
        foreach (var person in Enumerable.Reverse(invited))
        {
            await api.AddAttendee(visit.Id(), person);
            await api.SetResponse(visit.Id(), person, "accepted");
        }

        // Rows of one import share their delegation's creation time: the delegation's id must order them.
        await Sql($"UPDATE delegations SET created_at = '2025-11-01T09:00:00Z' WHERE programme_id = '{jcm.ProgrammeId}'");

        var path = $"/api/engagements/{visit.Id()}/attendees";
        Assert.Equal(8, await AssertPagesMatchTheList(api, path, 3));
        Assert.Equal(8, await AssertPagesMatchTheList(api, path + "?include=logistics", 5));
        var waiting = (await api.Get(path)).Ok().Items().Count(a => a.Str("attendance") == "waiting");
        Assert.Equal(6, waiting);

        // Where every acceptance fits (or there is no capacity), a page decides its rows' places from a count of the
        // acceptances alone: the same answer as the whole list's.
        foreach (var (capacity, day) in new[] { ((int?)5, 12), (null, 13) })
        {
            var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, $"2025-11-{day}T10:00", $"2025-11-{day}T11:00", $"Briefing for {capacity}", capacity: capacity);
            var responses = new[] { "accepted", "declined", "tentative", "accepted", "needs-action", "accepted", "declined", "accepted" };
            for (var i = 0; i < invited.Count; i++)
            {
                await api.AddAttendee(meeting.Id(), invited[i]);
                if (responses[i] != "needs-action")
                {
                    await api.SetResponse(meeting.Id(), invited[i], responses[i]);
                }
            }

            var list = $"/api/engagements/{meeting.Id()}/attendees";
            Assert.Equal(8, await AssertPagesMatchTheList(api, list, 3));
            Assert.Equal(0, (await api.Get(list)).Ok().Items().Count(a => a.Str("attendance") == "waiting"));
        }
    }

    [Fact]
    public async Task A_bad_limit_or_cursor_is_a_400_naming_it_on_every_paged_list()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:00");
        string[] lists =
        [
            "/api/programmes", "/api/venues", $"/api/programmes/{jcm.ProgrammeId}/engagements", $"/api/programmes/{jcm.ProgrammeId}/delegations",
            $"/api/programmes/{jcm.ProgrammeId}/stays", $"/api/programmes/{jcm.ProgrammeId}/vehicles", $"/api/programmes/{jcm.ProgrammeId}/notifications",
            "/api/feeds", "/api/keys", $"/api/engagements/{meeting.Id()}/promotions", $"/api/engagements/{meeting.Id()}/attendees",
        ];
        foreach (var list in lists)
        {
            PlanningAssert.Problem(await api.Get(list + "?limit=0"), HttpStatusCode.BadRequest, "limit");
            PlanningAssert.Problem(await api.Get(list + "?limit=1001"), HttpStatusCode.BadRequest, "limit");
            PlanningAssert.Problem(await api.Get(list + "?limit=2&cursor=abc"), HttpStatusCode.BadRequest, "cursor");
            // Another list's cursor, from a key of another shape, is refused too.
            PlanningAssert.Problem(await api.Get(list + "?cursor=eyJpZCI6IngifQ"), HttpStatusCode.BadRequest, "cursor");
            var whole = await api.Get(list);
            whole.Expect(HttpStatusCode.OK);
            Assert.False(whole.Headers.ContainsKey("Link"), $"An unpaged answer with a Link: {whole.Describe()}");
        }
    }

    /// <summary>
    /// Walks <paramref name="path"/>'s pages and asserts they are the unpaged list: same items in the same order, no item
    /// twice, every page but the last full, the last without a Link. Returns how many items the list has.
    /// </summary>
    private static async Task<int> AssertPagesMatchTheList(PlanningClient api, string path, int limit)
    {
        var unpaged = await api.Get(path);
        Assert.False(unpaged.Headers.ContainsKey("Link"), $"An unpaged answer with a Link: {unpaged.Describe()}");
        var all = unpaged.Ok().Items().Select(i => i.GetRawText()).ToList();
        var walked = await Walk(api, path, limit);
        Assert.Equal(all, walked.Items);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(Math.Max(1, (all.Count + limit - 1) / limit), walked.Pages);
        Assert.True(all.Count > limit, $"{path} has {all.Count} items: too few to page by {limit}.");
        return all.Count;
    }

    private static async Task<(List<string> Items, int Pages)> Walk(PlanningClient api, string path, int limit)
    {
        var items = new List<string>();
        var pages = 0;
        string? next = path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"limit={limit}";
        while (next is not null)
        {
            var page = await api.Get(next);
            var rows = page.Ok().Items();
            next = page.Headers.TryGetValue("Link", out var link) ? NextLink().Match(link).Groups[1].Value : null;
            Assert.True(rows.Count == limit || (next is null && rows.Count <= limit), $"Page {pages + 1} of {path} has {rows.Count} items: {page.Describe()}");
            Assert.True(next is null || next.StartsWith(path.Split('?')[0], StringComparison.Ordinal), $"A Link to another list: {next}");
            items.AddRange(rows.Select(r => r.GetRawText()));
            pages++;
            Assert.True(pages < 1000, $"{path} pages without end.");
        }

        return (items, pages);
    }

    private async Task Sql(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.App.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Cancel);
    }

    private PlanningClient Api() => new(fixture.App.AdminClient());

    [GeneratedRegex("<([^>]+)>; rel=\"next\"")]
    private static partial Regex NextLink();
}
