using System.Net;
using System.Net.Http.Json;
using System.Text;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Concurrency;

/// <summary>
/// <c>PUT /api/people/{id}/logistics</c>: If-Match as for PATCH (a stale version is a 409 naming the current one, and nothing
/// is written), and a body that names no field is refused rather than taken as "wipe everything".
/// </summary>
public sealed class LogisticsPutTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static readonly object Needs = new { dietary = "Vegetarian", accessibility = "Step-free access", nationality = "GB" };

    [Fact]
    public async Task A_stale_If_Match_is_409_with_the_current_version_and_writes_nothing()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Iffy Match");
        var path = $"/api/people/{person}/logistics";

        // Nothing recorded yet is version 0; the first write with If-Match "0" makes version 1 and says so in the ETag.
        var empty = await api.Get(path);
        Assert.Equal(0, empty.Ok().Required("version").GetInt32());
        var first = await Put(api, path, JsonContent.Create(Needs), "\"0\"");
        Assert.Equal(1, first.Ok().Required("version").GetInt32());

        // Someone else read version 0 too: their write is refused, and what the first wrote stands.
        var stale = await Put(api, path, JsonContent.Create(new { dietary = "Halal" }), "\"0\"");
        PlanningAssert.Problem(stale, HttpStatusCode.Conflict);
        Assert.Equal(1, stale.Json.Required("currentVersion").GetInt32());
        Assert.Contains("changed since you read", stale.Json.Str("detail"), StringComparison.Ordinal);
        var after = (await api.Get(path)).Ok();
        Assert.Equal("Vegetarian", after.Str("dietary"));
        Assert.Equal("Step-free access", after.Str("accessibility"));
        Assert.Equal(1, after.Required("version").GetInt32());

        // With the current version the write goes through; a weak ETag form is accepted, a malformed one is a 400.
        var fresh = await Put(api, path, JsonContent.Create(new { dietary = "Halal", nationality = "GB" }), "W/\"1\"");
        Assert.Equal("Halal", fresh.Ok().Str("dietary"));
        Assert.Equal(2, fresh.Json.Required("version").GetInt32());
        PlanningAssert.Problem(await Put(api, path, JsonContent.Create(Needs), "yesterday"), HttpStatusCode.BadRequest, "If-Match");

        // GET answers the version as an ETag, ready for If-Match.
        using var get = await api.Http.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal("\"2\"", get.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task Of_writers_racing_with_the_same_If_Match_exactly_one_wins()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Photo Finish");
        var path = $"/api/people/{person}/logistics";

        // Eight clients all read version 0 and write at once: one write lands, seven are told it changed meanwhile.
        var clients = Enumerable.Range(0, 8).Select(_ => new PlanningClient(fixture.App.AdminClient())).ToList();
        try
        {
            var results = await Task.WhenAll(clients.Select((client, i) =>
                Put(client, path, JsonContent.Create(new { dietary = $"Menu {i}" }), "\"0\"")));
            Assert.Single(results, r => r.Status == HttpStatusCode.OK);
            Assert.Equal(7, results.Count(r => r.Status == HttpStatusCode.Conflict));
            var winner = results.Single(r => r.Status == HttpStatusCode.OK).Json.Str("dietary");
            var saved = (await api.Get(path)).Ok();
            Assert.Equal(winner, saved.Str("dietary"));
            Assert.Equal(1, saved.Required("version").GetInt32());
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task A_body_that_names_no_field_is_400_and_wipes_nothing()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Empty Body");
        var path = $"/api/people/{person}/logistics";
        (await Put(api, path, JsonContent.Create(Needs))).Ok();

        PlanningAssert.Problem(await Put(api, path, Json("{}")), HttpStatusCode.BadRequest, "body");
        PlanningAssert.Problem(await Put(api, path, Json("null")), HttpStatusCode.BadRequest, "body");
        PlanningAssert.Problem(await Put(api, path, Json("""{"diet": "vegan"}""")), HttpStatusCode.BadRequest, "body");
        PlanningAssert.Problem(await Put(api, path, null), HttpStatusCode.BadRequest, "body");
        PlanningAssert.Problem(await Put(api, path, Json("""{"dietary": 5}""")), HttpStatusCode.BadRequest, "dietary");

        var kept = (await api.Get(path)).Ok();
        Assert.Equal("Vegetarian", kept.Str("dietary"));
        Assert.Equal("Step-free access", kept.Str("accessibility"));
        Assert.Equal("GB", kept.Str("nationality"));
        Assert.Equal(1, kept.Required("version").GetInt32());

        // Clearing stays possible, on purpose: a PUT names what it records, and what it leaves out is cleared.
        var cleared = (await Put(api, path, Json("""{"dietary": null, "nationality": "GB"}"""))).Ok();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.Required("dietary").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.Required("accessibility").ValueKind);
        Assert.Equal("GB", cleared.Str("nationality"));
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static Task<ApiResult> Put(PlanningClient api, string path, HttpContent? content, string? ifMatch = null) =>
        api.Send(HttpMethod.Put, path, content, ifMatch is null ? null : r => r.Headers.TryAddWithoutValidation("If-Match", ifMatch));
}
