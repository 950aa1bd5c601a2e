using System.Net;
using CommissionPlanner.Tests.IcalValidation;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Feeds;

/// <summary>
/// Data a new user might enter (issue 15): what the API accepts renders in every feed and download and parses in
/// ical.js and python-icalendar; what it cannot render is refused with 400 naming the field, never accepted and then
/// answered with 500 by every feed that holds it.
/// </summary>
public sealed class FeedOddDataTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private PlanningClient Api() => new(fixture.App.AdminClient());

    private FeedClient Feeds => new(fixture.App);

    /// <summary>Every way a calendar holding the plenary is served: person, delegation, programme and engagement feeds, and the download.</summary>
    private async Task<List<byte[]>> EveryCalendar(PlanningClient api, FeedScenario world, string personId)
    {
        var bodies = new List<byte[]>();
        foreach (var (scope, id) in new[] { ("people", personId), ("delegations", world.Jcm.DelegationId), ("programmes", world.ProgrammeId), ("engagements", world.PlenaryId) })
        {
            var feed = await FeedClient.Create(api, scope, id);
            bodies.Add((await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK).Body);
        }

        bodies.Add((await api.Get($"/api/engagements/{world.PlenaryId}/ics")).Expect(HttpStatusCode.OK).Bytes.ToArray());
        return bodies;
    }

    [Theory]
    [InlineData("\"jane doe\"@example.org", "mailto:%22jane%20doe%22@example.org")]
    [InlineData("100%sure@example.org", "mailto:100%25sure@example.org")]
    [InlineData("jürgen@bücher.example", "mailto:j%C3%BCrgen@xn--bcher-kva.example")]
    [InlineData("o'brien+jcm@example.co.uk", "mailto:o'brien+jcm@example.co.uk")]
    [InlineData("王伟@例子.中国", "mailto:%E7%8E%8B%E4%BC%9F@xn--fsqu00a.xn--fiqs8s")]
    public async Task An_accepted_address_is_a_mailto_URI_in_every_feed_and_both_parsers_read_it(string email, string mailto)
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var member = (await api.TryAddMember(world.Jcm.DelegationId, PlanningClient.Body(
            ("fullName", "Jane Doe"), ("organisation", "UKRI"), ("title", "Delegate"), ("email", email), ("role", "member")))).Created();
        await api.AddAttendee(world.PlenaryId, member.Id());

        foreach (var body in await EveryCalendar(api, world, member.Id()))
        {
            var js = await IcalJs.ValidateAsync(body);
            var py = await PythonIcalendar.ParseAsync(body);
            var jsPlenary = js.Events.Single(e => e.Uid.StartsWith(world.PlenaryId, StringComparison.Ordinal));
            var pyPlenary = py.Events.Single(e => e.Uid.StartsWith(world.PlenaryId, StringComparison.Ordinal));
            // A delegation feed shows no attendees; the others show this one.
            if (jsPlenary.Attendees.Length > 0)
            {
                Assert.Contains(mailto, jsPlenary.Attendees.Select(a => a.Value));
                Assert.Contains(mailto, pyPlenary.Attendees.Select(a => a.Value));
            }
        }
    }

    [Theory]
    [InlineData("<a@example.org>")]
    [InlineData("Jane Doe <jane@example.org>")]
    [InlineData("jane doe@example.org")]
    [InlineData("\"unterminated@example.org")]
    [InlineData("a@b@example.org")]
    [InlineData("jane@exa_mple.org")]
    [InlineData("jane@-example.org")]
    [InlineData("jane@[192.0.2.1]")]
    [InlineData("jane@example.123")]
    [InlineData("ja\u0007ne@example.org")]
    public async Task An_address_that_is_not_a_mailto_URI_is_refused_naming_email(string email)
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var created = await api.TryAddMember(world.Jcm.DelegationId, PlanningClient.Body(
            ("fullName", "Jane Doe"), ("organisation", "UKRI"), ("title", "Delegate"), ("email", email), ("role", "member")));
        PlanningAssert.Problem(created, HttpStatusCode.BadRequest, "email");

        var patched = await api.Patch($"/api/people/{world.PersonId}", new { email });
        PlanningAssert.Problem(patched, HttpStatusCode.BadRequest, "email");
        // Nothing was stored: every feed that holds the person still answers.
        Assert.All(await EveryCalendar(api, world, world.PersonId), body => Assert.NotEmpty(body));
    }

    [Theory]
    [InlineData("start", "9998-01-01T10:00", "9998-01-01T11:00")]
    [InlineData("start", "1899-12-31T10:00", "2025-11-11T11:00")]
    [InlineData("end", "2025-11-11T10:00", "2200-01-01T00:00")]
    public async Task An_engagement_outside_the_years_the_planner_represents_is_refused_naming_the_field(string field, string start, string end)
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var created = await api.TryCreateEngagement(world.ProgrammeId, PlanningClient.MeetingBody(world.Jcm.Diaoyutai, start, end, "Far away"));
        PlanningAssert.Problem(created, HttpStatusCode.BadRequest, field);

        var patched = await api.TryPatchEngagement(world.PlenaryId, new Dictionary<string, string> { [field] = field == "start" ? start : end });
        PlanningAssert.Problem(patched, HttpStatusCode.BadRequest, field);
        Assert.All(await EveryCalendar(api, world, world.PersonId), body => Assert.NotEmpty(body));
    }

    [Fact]
    public async Task A_programme_in_the_year_9998_is_refused_naming_the_dates()
    {
        using var api = Api();
        var created = await api.TryCreateProgramme(new { name = "Far future", startDate = "9998-01-01", endDate = "9998-01-02", timeZone = "Europe/London", areas = Array.Empty<string>() });
        PlanningAssert.Problem(created, HttpStatusCode.BadRequest, "startDate");
        Assert.True(PlanningAssert.NamesField(created.Json, "endDate"), created.Describe());
    }

    public static TheoryData<string, string> AcceptedTexts => new()
    {
        { "emoji at every fold point", string.Concat(Enumerable.Repeat("😀👍🏽🇬🇧", 12)) + "a" },
        { "bidi marks and isolates", "اجتماع \u200Fاللجنة\u200E (RTL) \u202Bembedded\u202C \u2067isolate\u2069 — 会议" },
        { "escapes and quotes", "Back\\slash; semi, comma \"quoted\" 'single': colon" },
    };

    [Theory]
    [MemberData(nameof(AcceptedTexts))]
    public async Task Titles_and_descriptions_with_emoji_and_bidi_marks_are_accepted_and_read_back_exactly(string name, string text)
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        for (var pad = 0; pad < 6; pad++)
        {
            // Shift the text along the line so that a different character lands on each fold.
            var title = new string('x', pad) + text;
            var description = text + "\n" + new string('y', pad) + text;
            var patched = await api.TryPatchEngagement(world.PlenaryId, new { title, description });
            Assert.True(patched.Status == HttpStatusCode.OK, $"{name}: {patched.Describe()}");
            foreach (var body in await EveryCalendar(api, world, world.PersonId))
            {
                var js = (await IcalJs.ValidateAsync(body)).Events.Single(e => e.Uid.StartsWith(world.PlenaryId, StringComparison.Ordinal));
                var py = (await PythonIcalendar.ParseAsync(body)).Events.Single(e => e.Uid.StartsWith(world.PlenaryId, StringComparison.Ordinal));
                Assert.Equal(title, js.Summary);
                Assert.Equal(title, py.Summary);
                Assert.StartsWith(description, js.Description, StringComparison.Ordinal);
                Assert.StartsWith(description, py.Description, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("title", "bell\u0007title")]
    [InlineData("title", "two\nlines")]
    [InlineData("title", "NUL\u0000")]
    [InlineData("description", "escape \u001B[31m red")]
    [InlineData("description", "C1 \u0085 next line")]
    [InlineData("host", "tab\there")]
    public async Task Titles_and_texts_with_control_characters_are_refused_naming_the_field(string field, string text)
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var body = PlanningClient.MeetingBody(world.Jcm.Diaoyutai, "2025-11-12T10:00", "2025-11-12T11:00");
        body[field] = text;
        PlanningAssert.Problem(await api.TryCreateEngagement(world.ProgrammeId, body), HttpStatusCode.BadRequest, field);
        PlanningAssert.Problem(await api.TryPatchEngagement(world.PlenaryId, new Dictionary<string, string> { [field] = text }), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_description_keeps_its_line_breaks_and_tabs()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        const string description = "Agenda:\n\t1. Opening\r\n\t2. Climate";
        (await api.TryPatchEngagement(world.PlenaryId, new { description })).Expect(HttpStatusCode.OK);
        foreach (var body in await EveryCalendar(api, world, world.PersonId))
        {
            var py = (await PythonIcalendar.ParseAsync(body)).Events.Single(e => e.Uid.StartsWith(world.PlenaryId, StringComparison.Ordinal));
            Assert.StartsWith("Agenda:\n\t1. Opening\n\t2. Climate", py.Description, StringComparison.Ordinal);
        }
    }
}
