using System.Net;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Tests.IcalValidation;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Feeds;

/// <summary>
/// Bilingual engagements and feeds in a language: an engagement's Chinese title and description beside the English ones
/// (API, import, export), and feeds created as <c>en</c>, <c>zh</c> or <c>both</c>, read by ical.js and python-icalendar.
/// </summary>
public sealed class FeedLanguageTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private const string TitleZh = "中英科技合作联合委员会全体会议";

    private PlanningClient Api() => new(fixture.App.AdminClient());

    [Fact]
    public async Task A_zh_feed_has_the_chinese_summary_and_a_both_feed_shows_both()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var patched = await api.PatchEngagement(world.PlenaryId, new { titleZh = TitleZh, descriptionZh = "第十一次会议。", description = "The 11th meeting." });
        Assert.Equal(TitleZh, patched.Str("titleZh"));
        // A meeting without a Chinese title keeps its English one in every language.
        await api.CreateMeeting(world.ProgrammeId, world.Jcm.Tsinghua, "2025-11-11T15:00", "2025-11-11T16:00", "Visit to Tsinghua ICON", "site-visit");

        var feeds = new FeedClient(fixture.App);
        var zh = await Create(api, world.ProgrammeId, "zh");
        Assert.Equal("zh", zh.Json.Str("language"));
        var both = await Create(api, world.ProgrammeId, "both");
        var en = FeedClient.Parse(await FeedClient.TryCreate(api, "programmes", world.ProgrammeId));
        Assert.Equal("en", en.Json.Str("language"));

        var zhBody = (await feeds.Fetch(zh.Url)).Expect(HttpStatusCode.OK).Body;
        var zhJs = await IcalJs.ValidateAsync(zhBody);
        Assert.Null(zhJs.Error);
        Assert.Equal([TitleZh, "Visit to Tsinghua ICON"], zhJs.Events.OrderBy(e => e.StartUtc, StringComparer.Ordinal).Select(e => e.Summary));
        Assert.StartsWith("第十一次会议。", zhJs.Events.Single(e => e.Summary == TitleZh).Description, StringComparison.Ordinal);

        var bothBody = (await feeds.Fetch(both.Url)).Expect(HttpStatusCode.OK).Body;
        var bothJs = await IcalJs.ValidateAsync(bothBody);
        var plenary = bothJs.Events.Single(e => e.Summary!.StartsWith(FeedScenario.PlenaryTitle, StringComparison.Ordinal));
        Assert.Equal($"{FeedScenario.PlenaryTitle} / {TitleZh}", plenary.Summary);
        Assert.Contains("The 11th meeting.", plenary.Description, StringComparison.Ordinal);
        Assert.Contains("第十一次会议。", plenary.Description, StringComparison.Ordinal);
        var py = await PythonIcalendar.ParseAsync(bothBody);
        Assert.Contains(py.Events, e => e.Summary == $"{FeedScenario.PlenaryTitle} / {TitleZh}");

        var enJs = await IcalJs.ValidateAsync((await feeds.Fetch(en.Url)).Expect(HttpStatusCode.OK).Body);
        Assert.Contains(enJs.Events, e => e.Summary == FeedScenario.PlenaryTitle);
        Assert.DoesNotContain(enJs.Events, e => e.Summary!.Contains(TitleZh, StringComparison.Ordinal));

        // Rotating keeps the language.
        var rotated = (await api.Post($"/api/feeds/{zh.Id}/rotate", null)).Created();
        Assert.Equal("zh", rotated.Str("language"));
        PlanningAssert.Problem(await api.Post($"/api/programmes/{world.ProgrammeId}/feeds", new { language = "fr" }), HttpStatusCode.BadRequest, "language");
    }

    [Fact]
    public async Task The_chinese_title_is_validated_and_round_trips_through_the_export()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        PlanningAssert.Problem(await api.TryPatchEngagement(world.PlenaryId, new { titleZh = new string('会', 301) }), HttpStatusCode.BadRequest, "titleZh");
        await api.PatchEngagement(world.PlenaryId, new { titleZh = TitleZh, descriptionZh = "第十一次会议。" });
        using var browser = CommissionPlanner.Web.Tests.Ui.Browserish.Client(fixture.App);
        await CommissionPlanner.Web.Tests.Ui.Browserish.SignIn(browser, PlannerApp.AdminKey);
        var page = await browser.GetStringAsync(new Uri($"/engagements/{world.PlenaryId}", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains($"<span lang=\"zh-Hans\" class=\"local-name\">{TitleZh}</span>", page, StringComparison.Ordinal);
        Assert.Contains("<dd lang=\"zh-Hans\">第十一次会议。</dd>", page, StringComparison.Ordinal);
        var form = await browser.GetStringAsync(new Uri($"/engagements/{world.PlenaryId}/edit", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains($"name=\"Form.TitleZh\" value=\"{TitleZh}\"", form, StringComparison.Ordinal);

        var exported = (await api.GetJson($"/api/programmes/{world.ProgrammeId}/export")).Required("engagements").Items();
        Assert.Equal(TitleZh, exported.Single(e => e.Str("title") == FeedScenario.PlenaryTitle).Str("titleZh"));
        await api.PatchEngagement(world.PlenaryId, new { titleZh = (string?)null });
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await api.GetEngagement(world.PlenaryId)).Prop("titleZh").ValueKind);
    }

    [Fact]
    public async Task The_person_page_creates_a_feed_in_the_language_chosen()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        using var browser = CommissionPlanner.Web.Tests.Ui.Browserish.Client(fixture.App);
        await CommissionPlanner.Web.Tests.Ui.Browserish.SignIn(browser, PlannerApp.AdminKey);
        var path = $"/people/{world.PersonId}";
        var token = await CommissionPlanner.Web.Tests.Ui.Browserish.Token(browser, path);

        using var created = await CommissionPlanner.Web.Tests.Ui.Browserish.Post(browser, path + "?handler=CreateFeed",
            ("__RequestVerificationToken", token), ("detail", "full"), ("language", "both"));

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var feed = Assert.Single((await api.GetJson($"/api/feeds?subjectId={world.PersonId}")).Items());
        Assert.Equal("both", feed.Str("language"));
        var page = await browser.GetStringAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains("full · English / 中文", page, StringComparison.Ordinal);
    }

    private static async Task<CreatedFeed> Create(PlanningClient api, string programmeId, string language) =>
        FeedClient.Parse(await api.Post($"/api/programmes/{programmeId}/feeds", new { language }));
}
