using System.Net;
using System.Text;
using CommissionPlanner.Tests.IcalValidation;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Logistics;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Feeds;

/// <summary>
/// A programme's Chinese name (API, export, pages, feed names) and hotel stays in a Chinese or bilingual feed.
/// </summary>
public sealed class ChineseNamesInFeedsTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private const string NameZh = "第十一次中英科技合作联合委员会";

    private PlanningClient Api() => new(fixture.App.AdminClient());

    [Fact]
    public async Task A_programme_has_a_chinese_name_in_the_api_the_export_the_pages_and_its_feeds()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var path = $"/api/programmes/{world.ProgrammeId}";
        PlanningAssert.Problem(await api.Patch(path, new { nameZh = new string('会', 301) }), HttpStatusCode.BadRequest, "nameZh");
        var patched = (await api.Patch(path, new { nameZh = NameZh })).Ok();
        Assert.Equal(NameZh, patched.Str("nameZh"));
        var english = (await api.GetJson(path)).Str("name");
        Assert.Equal(NameZh, (await api.GetJson($"{path}/export")).Required("programme").Str("nameZh"));

        var zh = FeedClient.Parse(await api.Post($"{path}/feeds", new { language = "zh" }));
        var both = FeedClient.Parse(await api.Post($"{path}/feeds", new { language = "both" }));
        var en = FeedClient.Parse(await api.Post($"{path}/feeds", new { language = "en" }));
        var feeds = new FeedClient(fixture.App);
        Assert.Contains($"X-WR-CALNAME:{NameZh}", Unfolded(await feeds.Fetch(zh.Url)), StringComparison.Ordinal);
        Assert.Contains($"X-WR-CALNAME:{Ical(english)} / {NameZh}", Unfolded(await feeds.Fetch(both.Url)), StringComparison.Ordinal);
        Assert.DoesNotContain(NameZh, Unfolded(await feeds.Fetch(en.Url)), StringComparison.Ordinal);

        // Pages: the reader's language first.
        using var browser = CommissionPlanner.Web.Tests.Ui.Browserish.Client(fixture.App);
        await CommissionPlanner.Web.Tests.Ui.Browserish.SignIn(browser, PlannerApp.AdminKey);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/programmes/{world.ProgrammeId}");
        request.Headers.AcceptLanguage.ParseAdd("zh-CN");
        var chinesePage = await (await browser.SendAsync(request, TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains($"<h1><span lang=\"zh\">{NameZh}</span>", chinesePage, StringComparison.Ordinal);
        var englishPage = await browser.GetStringAsync(new Uri($"/programmes/{world.ProgrammeId}", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains($"<h1><span lang=\"en\">{System.Net.WebUtility.HtmlEncode(english)}</span>", englishPage.Replace("&#x2013;", "–", StringComparison.Ordinal), StringComparison.Ordinal);
        var form = await browser.GetStringAsync(new Uri($"/programmes/{world.ProgrammeId}/edit", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains($"value=\"{NameZh}\"", form, StringComparison.Ordinal);

        // Cleared with null, as any optional text.
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await api.Patch(path, new { nameZh = (string?)null })).Ok().Prop("nameZh").ValueKind);
    }

    [Fact]
    public async Task A_stay_reads_in_the_feeds_language()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api, "Professor Margaret Ellery");
        var hotel = (await api.CreateVenue(HotelsAndTransfersTests.BeijingHotel())).Id();
        (await HotelsAndTransfersTests.BookStay(api, world.PersonId, hotel, "2025-11-10", "2025-11-13", roomType: "twin", confirmation: "WJ-2025-118")).Created();
        var feeds = new FeedClient(fixture.App);

        var zh = FeedClient.Parse(await api.Post($"/api/people/{world.PersonId}/feeds", new { language = "zh" }));
        var zhStay = (await IcalJs.ValidateAsync((await feeds.Fetch(zh.Url)).Expect(HttpStatusCode.OK).Body)).Events.Single(e => e.Uid.StartsWith("stay-", StringComparison.Ordinal));
        Assert.Equal("酒店：文津国际酒店", zhStay.Summary);
        Assert.Contains("房型：双床房，3 晚", zhStay.Description, StringComparison.Ordinal);
        Assert.Contains("确认号：WJ-2025-118", zhStay.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("Room:", zhStay.Description, StringComparison.Ordinal);

        var both = FeedClient.Parse(await api.Post($"/api/people/{world.PersonId}/feeds", new { language = "both" }));
        var bothStay = (await IcalJs.ValidateAsync((await feeds.Fetch(both.Url)).Expect(HttpStatusCode.OK).Body)).Events.Single(e => e.Uid.StartsWith("stay-", StringComparison.Ordinal));
        Assert.Equal("Hotel: Wenjin Hotel / 酒店：文津国际酒店", bothStay.Summary);
        Assert.Contains("Room: twin, 3 nights", bothStay.Description, StringComparison.Ordinal);
        Assert.Contains("房型：双床房", bothStay.Description, StringComparison.Ordinal);

        var busy = FeedClient.Parse(await api.Post($"/api/people/{world.PersonId}/feeds", new { language = "zh", detail = "busy" }));
        Assert.Contains("SUMMARY:酒店 · Beijing", Unfolded(await feeds.Fetch(busy.Url)), StringComparison.Ordinal);
    }

    private static string Unfolded(FeedResponse response) =>
        Encoding.UTF8.GetString(response.Expect(HttpStatusCode.OK).Body).Replace("\r\n ", "", StringComparison.Ordinal);

    /// <summary>A text as an iCalendar TEXT value writes it (commas and semicolons escaped).</summary>
    private static string Ical(string text) => text.Replace(",", "\\,", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal);
}
