using System.Net;
using System.Net.Http.Json;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;
using Npgsql;

namespace CommissionPlanner.Web.Tests.Audit;

public sealed class AuditAndReviewTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private PlanningClient Api() => new(fixture.App.AdminClient());

    [Fact]
    public async Task An_engagement_outside_the_agreed_areas_needs_a_review_before_it_can_be_confirmed()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var visit = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:30", "2025-11-11T17:00", "Quantum lab visit",
            "site-visit", areas: ["quantum-computing"]);
        Assert.Equal("required", visit.Prop("review").Str("status"));

        PlanningAssert.Problem(await api.Post($"/api/engagements/{visit.Id()}/confirm", null), HttpStatusCode.Conflict);

        // Only reviewers decide.
        PlanningAssert.Problem(await api.Post($"/api/engagements/{visit.Id()}/review", new { decision = "approved", note = "fine" }), HttpStatusCode.Forbidden);
        using var reviewer = new PlanningClient(fixture.App.ClientWithKey(await api.CreateKey("RCAT reviewer", "reviewer")));
        PlanningAssert.Problem(await reviewer.Post($"/api/engagements/{visit.Id()}/review", new { decision = "maybe", note = "?" }), HttpStatusCode.BadRequest, "decision");

        var approved = (await reviewer.Post($"/api/engagements/{visit.Id()}/review", new { decision = "approved", note = "Advice from RCAT followed." })).Ok();
        Assert.Equal("approved", approved.Prop("review").Str("status"));
        Assert.Equal("Advice from RCAT followed.", approved.Prop("review").Str("note"));
        Assert.Contains("RCAT reviewer", approved.Prop("review").Str("by"), StringComparison.Ordinal);

        var confirmed = (await api.Post($"/api/engagements/{visit.Id()}/confirm", null)).Ok();
        Assert.Equal("confirmed", confirmed.Str("status"));
    }

    [Fact]
    public async Task A_change_of_areas_or_host_after_a_decision_returns_the_review_to_required_until_a_reviewer_decides_again()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        using var reviewer = new PlanningClient(fixture.App.ClientWithKey(await api.CreateKey("reviewer", "reviewer")));
        var visit = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:30", "2025-11-11T17:00", "Lab visit",
            "site-visit", areas: ["advanced-materials"]);
        (await reviewer.Post($"/api/engagements/{visit.Id()}/review", new { decision = "approved", note = "ok" })).Ok();

        var changedHost = await api.PatchEngagement(visit.Id(), new { host = "A different host" });
        Assert.Equal("required", changedHost.Prop("review").Str("status"));

        (await reviewer.Post($"/api/engagements/{visit.Id()}/review", new { decision = "rejected", note = "Dual-use risk." })).Ok();
        PlanningAssert.Problem(await api.Post($"/api/engagements/{visit.Id()}/confirm", null), HttpStatusCode.Conflict);

        // Back within the agreed areas the rejection no longer stands, but only a reviewer lifts it: the review is required
        // again (never straight to not-required once a decision exists), and confirming waits for the new decision.
        var agreed = await api.PatchEngagement(visit.Id(), new { areas = new[] { "climate-environment" } });
        Assert.Equal("required", agreed.Prop("review").Str("status"));
        PlanningAssert.Problem(await api.Post($"/api/engagements/{visit.Id()}/confirm", null), HttpStatusCode.Conflict);
        (await reviewer.Post($"/api/engagements/{visit.Id()}/review", new { decision = "approved", note = "Within the agreed areas now." })).Ok();
        Assert.Equal("confirmed", (await api.Post($"/api/engagements/{visit.Id()}/confirm", null)).Ok().Str("status"));
    }

    [Fact]
    public async Task Every_kind_of_change_leaves_an_audit_entry_with_who_when_and_before_and_after()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Audit Trail");
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:00", "Audited meeting");
        await api.PatchEngagement(meeting.Id(), new { title = "Audited meeting (moved)", start = "2025-11-11T10:30" });
        await api.AddAttendee(meeting.Id(), person);
        await api.SetResponse(meeting.Id(), person, "accepted");
        await api.Post($"/api/engagements/{meeting.Id()}/confirm", null);
        await api.CancelEngagement(meeting.Id(), "Rescheduled to next year.");

        var history = (await api.GetJson($"/api/engagements/{meeting.Id()}/history")).Items();
        Assert.Equal(["created", "updated", "attendee-added", "response-changed", "confirmed", "cancelled"], history.Select(h => h.Str("action")));
        var update = history[1];
        Assert.Equal("Audited meeting", update.Prop("before").Str("title"));
        Assert.Equal("Audited meeting (moved)", update.Prop("after").Str("title"));
        Assert.Contains("bootstrap admin key", update.Str("actor"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(update.Str("at")));

        var all = (await api.GetJson($"/api/audit?entity={jcm.ProgrammeId}")).Items();
        Assert.Equal("created", Assert.Single(all).Str("action"));
        var people = (await api.GetJson("/api/audit?entity=person")).Items();
        Assert.Contains(people, p => p.Str("entityId") == person);
        PlanningAssert.Problem(await api.Get("/api/audit?from=yesterday"), HttpStatusCode.BadRequest, "from");
    }

    [Fact]
    public async Task No_audit_entry_holds_a_secret_or_a_persons_logistics()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Private Needs");
        var key = await api.CreateKey("secret keeper", "viewer");
        (await api.Send(HttpMethod.Put, $"/api/people/{person}/logistics", JsonContent.Create(new { dietary = "Halal", securityClearance = "DV" }))).Ok();
        var feed = (await api.Post($"/api/people/{person}/feeds", null)).Created();
        var token = new Uri(feed.Str("url")).Segments[^1].Replace(".ics", "", StringComparison.Ordinal);

        await using var connection = new NpgsqlConnection(fixture.App.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand("SELECT coalesce(before::text, '') || coalesce(after::text, '') FROM audit_entries", connection);
        var texts = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(Cancel))
        {
            while (await reader.ReadAsync(Cancel))
            {
                texts.Add(reader.GetString(0));
            }
        }

        var everything = string.Join("\n", texts);
        Assert.Contains("fieldsChanged", everything, StringComparison.Ordinal);
        Assert.Contains("secret keeper", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(key, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(token, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("Halal", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("\"DV\"", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("secretHash", everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("tokenHash", everything, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_audit_table_refuses_updates_deletes_and_truncation()
    {
        using var api = Api();
        await Jcm.SetUp(api);
        await using var connection = new NpgsqlConnection(fixture.App.ConnectionString);
        await connection.OpenAsync(Cancel);
        foreach (var sql in new[] { "UPDATE audit_entries SET actor = 'someone else'", "DELETE FROM audit_entries", "TRUNCATE audit_entries" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync(Cancel));
            Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_import_is_audited_once_with_what_it_changed_and_an_unchanged_reimport_not_at_all()
    {
        using var api = Api();
        var document = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(SamplePath(), Cancel)).RootElement.GetRawText()
            .Replace("\"jcm-2025\"", "\"jcm-2025-audit\"", StringComparison.Ordinal);
        var first = await api.PostRaw("/api/programmes/import", document);
        var programmeId = first.Created(requireId: false).Str("programmeId");
        (await api.PostRaw("/api/programmes/import", document)).Ok();

        var entries = (await api.GetJson($"/api/audit?entity=programme:{programmeId}")).Items();
        var entry = Assert.Single(entries);
        Assert.Equal("imported-new", entry.Str("action"));
        Assert.True(entry.Prop("after").TryGetProperty("counts", out _));
    }

    private static string SamplePath()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CommissionPlanner.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Repository root not found."), "samples", "jcm-2025.json");
    }

    [Fact]
    public async Task Only_admins_read_the_audit_trail()
    {
        using var api = Api();
        using var organiser = new PlanningClient(fixture.App.ClientWithKey(await api.CreateKey("organiser", "organiser")));
        PlanningAssert.Problem(await organiser.Get("/api/audit"), HttpStatusCode.Forbidden);
    }
}

public sealed class ReviewRecheckTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private PlanningClient Api() => new(fixture.App.AdminClient());

    [Fact]
    public async Task Agreeing_an_area_lifts_the_review_and_dropping_it_brings_the_review_back()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var visit = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:30", "2025-11-11T17:00", "Fusion lab visit",
            "site-visit", areas: ["fusion-energy"]);
        Assert.Equal("required", visit.Prop("review").Str("status"));

        (await api.Patch($"/api/programmes/{jcm.ProgrammeId}", new { areas = Jcm.AgreedAreas.Append("fusion-energy").ToArray() })).Ok();
        Assert.Equal("not-required", (await api.GetEngagement(visit.Id())).Prop("review").Str("status"));
        var confirmed = (await api.Post($"/api/engagements/{visit.Id()}/confirm", null)).Ok();

        (await api.Patch($"/api/programmes/{jcm.ProgrammeId}", new { areas = Jcm.AgreedAreas })).Ok();
        var again = await api.GetEngagement(visit.Id());
        Assert.Equal("required", again.Prop("review").Str("status"));
        Assert.True(again.Required("sequence").GetInt32() > confirmed.Required("sequence").GetInt32(),
            "A confirmed engagement whose feed entry turns TENTATIVE must bump its SEQUENCE.");
        var history = (await api.GetJson($"/api/engagements/{visit.Id()}/history")).Items();
        Assert.Contains(history, h => h.Str("action") == "review-rechecked");
    }

    [Fact]
    public async Task Marking_a_venue_sensitive_requires_a_review_of_its_engagements()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var visit = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:30", "2025-11-11T17:00", "Lab visit",
            "site-visit", areas: ["climate-environment"]);
        Assert.Equal("not-required", visit.Prop("review").Str("status"));

        (await api.Patch($"/api/venues/{jcm.Tsinghua}", new { sensitive = true })).Ok();

        Assert.Equal("required", (await api.GetEngagement(visit.Id())).Prop("review").Str("status"));
        PlanningAssert.Problem(await api.Post($"/api/engagements/{visit.Id()}/confirm", null), HttpStatusCode.Conflict);
    }
}
