using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Ui;

namespace CommissionPlanner.Web.Tests.Planning;

/// <summary>
/// Interpreter coverage end to end: a bilateral whose two sides share no working language warns, in /conflicts, each side's
/// itinerary (the grain's and the page's) and on the engagement page, until an interpreter for the pair is on the list.
/// </summary>
public sealed class InterpreterCoverageTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private PlanningClient Api() => new(fixture.App.AdminClient());

    [Fact]
    public async Task The_interpreter_warning_appears_for_a_bilateral_without_one_and_clears_when_one_is_added()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var minister = await jcm.NewDelegate(api, "Lord Vallance");
        var most = (await api.CreateDelegation(jcm.ProgrammeId, "Ministry of Science and Technology", "CN")).Id();
        var viceMinister = (await api.AddMember(most, "Chen Jiachang", "head", localName: "陈家昌", organisation: "MOST", title: "Vice-Minister")).Id();
        var interpreter = (await api.AddMember(most, "Zheng Kaiwen", "support", localName: "郑凯文", organisation: "MOST", title: "Interpreter")).Id();
        await SetLanguages(api, minister, ["en"]);
        await SetLanguages(api, viceMinister, ["zh-Hans"]);
        await SetLanguages(api, interpreter, [], ["zh-en"]);
        var bilateral = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T14:00", "2025-11-11T15:00", "Bilateral with MOST");
        await api.AddAttendee(bilateral.Id(), minister);
        await api.AddAttendee(bilateral.Id(), viceMinister);

        var conflicts = Interpreting(await api.GetConflicts(jcm.ProgrammeId));
        Assert.Equal(new[] { minister, viceMinister }.Order(), conflicts.Select(c => c.Str("personId")).Order());
        Assert.All(conflicts, c => Assert.Equal([bilateral.Id()], c.Required("engagementIds").Items().Select(i => i.GetString())));
        var ministersWarning = Assert.Single(Interpreting((await api.GetItinerary(minister)).Required("warnings")));
        Assert.Contains("Chen Jiachang (zh)", ministersWarning.Str("detail"), StringComparison.Ordinal);
        Assert.Contains("en-zh", ministersWarning.Str("detail"), StringComparison.Ordinal);
        Assert.Single(Interpreting((await api.GetItinerary(viceMinister)).Required("warnings")));
        using var browser = Browserish.Client(fixture.App);
        await Browserish.SignIn(browser, PlannerApp.AdminKey);
        var page = await browser.GetStringAsync(new Uri($"/engagements/{bilateral.Id()}", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains("shares no working language with Chen Jiachang", page, StringComparison.Ordinal);

        await api.AddAttendee(bilateral.Id(), interpreter);

        Assert.Empty(Interpreting(await api.GetConflicts(jcm.ProgrammeId)));
        // Served by the itinerary grains, which the engagement grain told when the interpreter closed the gap.
        Assert.Empty(Interpreting((await api.GetItinerary(minister)).Required("warnings")));
        Assert.Empty(Interpreting((await api.GetItinerary(viceMinister)).Required("warnings")));
        Assert.Empty(Interpreting((await api.GetItinerary(interpreter)).Required("warnings")));
        page = await browser.GetStringAsync(new Uri($"/engagements/{bilateral.Id()}", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.DoesNotContain("shares no working language", page, StringComparison.Ordinal);

        // The interpreter declining opens the gap again; so does their pair no longer covering it.
        await api.SetResponse(bilateral.Id(), interpreter, "declined");
        Assert.Single(Interpreting((await api.GetItinerary(minister)).Required("warnings")));
        await api.SetResponse(bilateral.Id(), interpreter, "accepted");
        Assert.Empty(Interpreting((await api.GetItinerary(minister)).Required("warnings")));
        await SetLanguages(api, interpreter, [], ["zh-fr"]);
        Assert.Single(Interpreting((await api.GetItinerary(minister)).Required("warnings")));
        Assert.Equal(2, Interpreting(await api.GetConflicts(jcm.ProgrammeId)).Count);

        // The minister learning Chinese is the other way to clear it, and is seen by both sides at once.
        await SetLanguages(api, minister, ["en", "zh"]);
        Assert.Empty(Interpreting((await api.GetItinerary(minister)).Required("warnings")));
        Assert.Empty(Interpreting((await api.GetItinerary(viceMinister)).Required("warnings")));
        Assert.Empty(Interpreting(await api.GetConflicts(jcm.ProgrammeId)));
    }

    [Fact]
    public async Task Languages_are_shown_on_the_person_validated_and_guarded_by_if_match()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Joanna Wei");

        var set = await SetLanguages(api, person, ["EN", "zh-CN", "en"], ["zh/en"]);
        Assert.Equal(["en", "zh"], set.Required("languages").Items().Select(l => l.GetString()));
        Assert.Equal(["en-zh"], set.Required("interprets").Items().Select(l => l.GetString()));
        var read = await api.GetJson($"/api/people/{person}");
        Assert.Equal(["en", "zh"], read.Required("languages").Items().Select(l => l.GetString()));

        var bad = await Put(api, person, new { languages = new[] { "English" }, interprets = new[] { "en" } });
        PlanningAssert.Problem(bad, HttpStatusCode.BadRequest, "languages[0]");
        PlanningAssert.Problem(bad, HttpStatusCode.BadRequest, "interprets[0]");
        PlanningAssert.Problem(await Put(api, person, new { other = 1 }), HttpStatusCode.BadRequest, "body");
        PlanningAssert.Problem(await Put(api, person, new { languages = "en" }), HttpStatusCode.BadRequest, "languages");
        Assert.Equal(HttpStatusCode.Conflict, (await Put(api, person, new { languages = new[] { "fr" } }, ifMatch: "\"1\"")).Status);
        Assert.Equal(["en", "zh"], (await api.GetJson($"/api/people/{person}")).Required("languages").Items().Select(l => l.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await Put(api, Guid.NewGuid().ToString(), new { languages = new[] { "fr" } })).Status);

        var cleared = (await Put(api, person, new { languages = Array.Empty<string>() }, ifMatch: $"\"{read.VersionText()}\"")).Ok();
        Assert.Empty(cleared.Required("languages").Items());
        Assert.Empty(cleared.Required("interprets").Items());
    }

    [Fact]
    public async Task The_person_page_shows_and_sets_languages_and_refuses_what_is_not_a_code()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Joanna Wei");
        using var browser = Browserish.Client(fixture.App);
        await Browserish.SignIn(browser, PlannerApp.AdminKey);
        var path = $"/people/{person}";
        var token = await Browserish.Token(browser, path);
        var version = (await api.GetJson($"/api/people/{person}")).VersionText();

        using (var saved = await Browserish.Post(browser, path + "?handler=Languages",
            ("__RequestVerificationToken", token), ("version", version), ("languages", "en，zh-CN"), ("interprets", "zh-en")))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        var page = await browser.GetStringAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains("Works in English, Chinese; interprets English–Chinese.", page, StringComparison.Ordinal);
        var read = await api.GetJson($"/api/people/{person}");
        Assert.Equal(["en", "zh"], read.Required("languages").Items().Select(l => l.GetString()));

        using var refused = await Browserish.Post(browser, path + "?handler=Languages",
            ("__RequestVerificationToken", token), ("version", read.VersionText()), ("languages", "en, Mandarin"), ("interprets", ""));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("&#x27;Mandarin&#x27; is not a language code", html, StringComparison.Ordinal);
        Assert.Contains("value=\"en, Mandarin\"", html, StringComparison.Ordinal);
        Assert.Equal(["en", "zh"], (await api.GetJson($"/api/people/{person}")).Required("languages").Items().Select(l => l.GetString()));
    }

    private static List<JsonElement> Interpreting(JsonElement warnings) =>
        [.. warnings.Items().Where(w => w.Str("kind") == "interpreter")];

    private static async Task<JsonElement> SetLanguages(PlanningClient api, string personId, string[] languages, string[]? interprets = null) =>
        (await Put(api, personId, new { languages, interprets = interprets ?? [] })).Ok();

    private static Task<ApiResult> Put(PlanningClient api, string personId, object body, string? ifMatch = null) =>
        api.Send(HttpMethod.Put, $"/api/people/{personId}/languages", JsonContent.Create(body), request =>
        {
            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }
        });
}
