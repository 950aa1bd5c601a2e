using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CommissionPlanner.Data.Import;
using CommissionPlanner.Web.Tests.Infrastructure;

namespace CommissionPlanner.Web.Tests.Import;

/// <summary>POST /api/programmes/import and GET /api/programmes/{id}/export through HTTP.</summary>
public sealed class ImportApiTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private const string ImportRoute = "/api/programmes/import";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_sample_imports_with_201_and_again_with_200_and_nothing_changed()
    {
        using var admin = fixture.App.AdminClient();
        var doc = ImportSample.Load(ImportSample.NewPrefix());

        using var created = await Import(admin, doc);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var summary = await Summary(created);
        Assert.Equal($"/api/programmes/{summary.GetProperty("programmeId").GetString()}", created.Headers.Location?.OriginalString);
        Assert.True(summary.GetProperty("createdProgramme").GetBoolean());
        var counts = summary.GetProperty("counts");
        Assert.Equal(9, counts.GetProperty("venues").GetProperty("created").GetInt32());
        Assert.Equal(2, counts.GetProperty("delegations").GetProperty("created").GetInt32());
        Assert.Equal(17, counts.GetProperty("people").GetProperty("created").GetInt32());
        Assert.Equal(14, counts.GetProperty("engagements").GetProperty("created").GetInt32());
        Assert.Equal(119, counts.GetProperty("attendees").GetProperty("created").GetInt32());
        Assert.Equal(18, counts.GetProperty("stays").GetProperty("created").GetInt32());

        var id = Guid.Parse(summary.GetProperty("programmeId").GetString()!);
        var exportBefore = await Export(admin, id);
        var versionsBefore = await ImportSample.Versions(fixture.App.ConnectionString, id, Cancel);

        using var again = await Import(admin, doc);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await Summary(again);
        Assert.False(second.GetProperty("createdProgramme").GetBoolean());
        Assert.Equal(id.ToString(), second.GetProperty("programmeId").GetString());
        foreach (var kind in second.GetProperty("counts").EnumerateObject())
        {
            Assert.Equal(0, kind.Value.GetProperty("created").GetInt32());
            Assert.Equal(0, kind.Value.GetProperty("updated").GetInt32());
        }

        Assert.Equal(exportBefore, await Export(admin, id));
        Assert.Equal(versionsBefore, await ImportSample.Versions(fixture.App.ConnectionString, id, Cancel));
    }

    [Fact]
    public async Task Import_export_import_round_trips()
    {
        using var admin = fixture.App.AdminClient();
        using var created = await Import(admin, ImportSample.Load(ImportSample.NewPrefix()));
        var id = Guid.Parse((await Summary(created)).GetProperty("programmeId").GetString()!);
        var exported = await Export(admin, id);

        using var reimport = await admin.PostAsync(
            new Uri(ImportRoute, UriKind.Relative), new StringContent(exported, Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.OK, reimport.StatusCode);
        var summary = await Summary(reimport);
        Assert.Equal(id.ToString(), summary.GetProperty("programmeId").GetString());
        Assert.Equal(119, summary.GetProperty("counts").GetProperty("attendees").GetProperty("unchanged").GetInt32());
        Assert.Equal(exported, await Export(admin, id));
    }

    [Fact]
    public async Task An_invalid_document_gets_400_listing_every_problem_and_nothing_is_written()
    {
        using var admin = fixture.App.AdminClient();
        var doc = ImportSample.Load(ImportSample.NewPrefix())
            .WithVenue(2, v => v with { TimeZone = "Asia/Beijing" })
            .WithVenue(3, v => v with { Latitude = 123.4 })
            .WithEngagement(5, e => e with { Venue = "no-such-venue" })
            .WithMember(0, 2, m => m with { Email = "M.Ellery@example.org" })
            // The working lunch now starts while the plenary is still on.
            .WithEngagement(2, e => e with { Start = "2025-11-11T12:00" });
        var rowsBefore = await ImportSample.RowCounts(fixture.App.ConnectionString, Cancel);

        using var response = await Import(admin, doc);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var keys = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("venues[2].timeZone", keys);
        Assert.Contains("venues[3].latitude", keys);
        Assert.Contains("engagements[5].venue", keys);
        Assert.Contains("delegations[0].members[2].email", keys);
        Assert.Contains("engagements[2].attendees[0].person", keys); // the minister, at the plenary and the lunch
        Assert.Contains("two places at once", problem.GetProperty("errors").GetProperty("engagements[2].attendees[0].person")[0].GetString(),
            StringComparison.Ordinal);
        Assert.Equal(rowsBefore, await ImportSample.RowCounts(fixture.App.ConnectionString, Cancel));
    }

    [Fact]
    public async Task A_changed_title_bumps_only_that_engagements_version()
    {
        using var admin = fixture.App.AdminClient();
        var doc = ImportSample.Load(ImportSample.NewPrefix());
        using var created = await Import(admin, doc);
        var id = Guid.Parse((await Summary(created)).GetProperty("programmeId").GetString()!);
        var before = await ImportSample.Versions(fixture.App.ConnectionString, id, Cancel);

        using var changed = await Import(admin, doc.WithEngagement(3, e => e with { Title = "Press conference: the joint statement" }));

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var engagements = (await Summary(changed)).GetProperty("counts").GetProperty("engagements");
        Assert.Equal(1, engagements.GetProperty("updated").GetInt32());
        Assert.Equal(13, engagements.GetProperty("unchanged").GetInt32());
        var after = await ImportSample.Versions(fixture.App.ConnectionString, id, Cancel);
        var key = $"engagement:{doc.Engagements![3]!.ExternalId}";
        Assert.Equal(["2", "0"], after[key].Split('|')[..2]);
        Assert.Equal(["1", "0"], before[key].Split('|')[..2]);
        var stamp = before.Keys.Single(k => k.StartsWith("programme-stamp:", StringComparison.Ordinal));
        Assert.Equal(long.Parse(before[stamp], CultureInfo.InvariantCulture) + 1, long.Parse(after[stamp], CultureInfo.InvariantCulture));
        Assert.Equal(before.Where(r => r.Key != key && r.Key != stamp), after.Where(r => r.Key != key && r.Key != stamp));
    }

    [Fact]
    public async Task A_changed_start_bumps_the_engagements_sequence_and_moves_its_bookings()
    {
        using var admin = fixture.App.AdminClient();
        var doc = ImportSample.Load(ImportSample.NewPrefix());
        using var created = await Import(admin, doc);
        var id = Guid.Parse((await Summary(created)).GetProperty("programmeId").GetString()!);
        var before = await ImportSample.Versions(fixture.App.ConnectionString, id, Cancel);

        using var changed = await Import(admin, doc.WithEngagement(0, e => e with { Start = "2025-11-10T09:00" }));

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var after = await ImportSample.Versions(fixture.App.ConnectionString, id, Cancel);
        var key = $"engagement:{doc.Engagements![0]!.ExternalId}";
        Assert.Equal(["2", "1"], after[key].Split('|')[..2]);
        var minister = $"attendee:{doc.Engagements[0]!.ExternalId}:{doc.Engagements[0]!.Attendees![0]!.Person}";
        Assert.Contains("2025-11-10 01:00:00", after[minister], StringComparison.Ordinal); // 09:00 in Beijing
        Assert.DoesNotContain("2025-11-10 01:00:00", before[minister], StringComparison.Ordinal);
        var untouched = before.Keys.Where(k => k.StartsWith("engagement:", StringComparison.Ordinal) && k != key);
        Assert.All(untouched, k => Assert.Equal(before[k], after[k]));

        var exported = JsonSerializer.Deserialize<ProgrammeDocument>(await Export(admin, id), JsonSerializerOptions.Web)!;
        Assert.Equal("2025-11-10T09:00", exported.Engagements!.Single(e => e!.ExternalId == doc.Engagements[0]!.ExternalId)!.Start);
    }

    [Theory]
    [InlineData("{\"format\": \"commission-planner/programme@1\", \"programme\": {")]
    [InlineData("{\"format\": \"commission-planner/programme@1\", \"venues\": [{\"latitude\": \"north\"}]}")]
    [InlineData("[1, 2, 3]")]
    public async Task Malformed_json_gets_400(string body)
    {
        using var admin = fixture.App.AdminClient();
        var rowsBefore = await ImportSample.RowCounts(fixture.App.ConnectionString, Cancel);
        using var response = await admin.PostAsync(
            new Uri(ImportRoute, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(rowsBefore, await ImportSample.RowCounts(fixture.App.ConnectionString, Cancel));
    }

    [Fact]
    public async Task An_empty_object_gets_400_naming_the_missing_parts()
    {
        using var admin = fixture.App.AdminClient();
        using var response = await admin.PostAsync(
            new Uri(ImportRoute, UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("format", out _));
        Assert.True(errors.TryGetProperty("programme", out _));
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("0190f7a4-7c1e-7000-8000-000000000000")]
    public async Task Exporting_an_unknown_programme_gets_404(string id)
    {
        using var admin = fixture.App.AdminClient();
        using var response = await admin.GetAsync(new Uri($"/api/programmes/{id}/export", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_viewer_may_export_but_not_import()
    {
        using var admin = fixture.App.AdminClient();
        using var created = await Import(admin, ImportSample.Load(ImportSample.NewPrefix()));
        var id = (await Summary(created)).GetProperty("programmeId").GetString();
        using var keyResponse = await admin.PostAsJsonAsync("/api/keys", new { name = "import viewer", role = "viewer" }, Cancel);
        var key = (await keyResponse.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("key").GetString();

        using var viewer = fixture.App.ClientWithKey(key);
        using var export = await viewer.GetAsync(new Uri($"/api/programmes/{id}/export", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        using var import = await Import(viewer, ImportSample.Load(ImportSample.NewPrefix()));
        Assert.Equal(HttpStatusCode.Forbidden, import.StatusCode);
    }

    private static Task<HttpResponseMessage> Import(HttpClient client, ProgrammeDocument doc) =>
        client.PostAsync(new Uri(ImportRoute, UriKind.Relative),
            new StringContent(ImportSample.Serialize(doc), Encoding.UTF8, "application/json"), Cancel);

    private static async Task<JsonElement> Summary(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<string> Export(HttpClient client, Guid id)
    {
        using var response = await client.GetAsync(new Uri($"/api/programmes/{id}/export", UriKind.Relative), Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return body;
    }
}
