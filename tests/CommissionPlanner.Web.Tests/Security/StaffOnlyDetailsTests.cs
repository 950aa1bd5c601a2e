using System.Net;
using System.Text.Json;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CommissionPlanner.Web.Tests.Security;

/// <summary>A host whose clients have an address (127.0.0.1), so the audit records one.</summary>
public sealed class StaffOnlyDetailsFixture : ConfiguredPlannerFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Planner:RateLimits:ApiPerMinute"] = "100000",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IStartupFilter, ClientAddressFilter>();
}

public sealed class StaffOnlyDetailsTests(StaffOnlyDetailsFixture fixture) : IClassFixture<StaffOnlyDetailsFixture>
{
    private const string ReviewNote = "Cleared subject to the export-control conditions in annex B";
    private const string ReviewerName = "RCAT reviewer Okonkwo";

    [Fact]
    public async Task A_delegates_own_itinerary_shows_the_review_status_but_not_the_reviewer_the_note_or_the_venues_sensitivity()
    {
        var world = await SetUpAsync();
        using var self = new PlanningClient(fixture.App.ClientWithKey(world.DelegateKey));
        var mine = await self.GetItinerary(world.Person);
        var entry = Assert.Single(mine.Prop("entries").Items());
        Assert.Equal("approved", entry.Prop("review").Str("status"));
        Assert.True(entry.Prop("review").TryGetProperty("by", out var by) is false || by.ValueKind == JsonValueKind.Null);
        Assert.True(entry.Prop("review").TryGetProperty("note", out var note) is false || note.ValueKind == JsonValueKind.Null);
        Assert.False(entry.Prop("venue").TryGetProperty("sensitive", out _));
        var text = mine.GetRawText();
        Assert.DoesNotContain(ReviewNote, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ReviewerName, text, StringComparison.Ordinal);
        Assert.DoesNotContain("sensitive", text, StringComparison.OrdinalIgnoreCase);
        // The contract's fields the delegate needs stay.
        Assert.Equal("Secure laboratory visit", entry.Str("title"));
        Assert.Equal("The Secure Laboratory", entry.Prop("venue").Str("name"));

        // Staff see all of it, in the same resource.
        using var admin = new PlanningClient(fixture.App.ClientWithKey(PlannerApp.AdminKey));
        var staffEntry = Assert.Single((await admin.GetItinerary(world.Person)).Prop("entries").Items());
        Assert.Equal(ReviewNote, staffEntry.Prop("review").Str("note"));
        Assert.Contains(ReviewerName, staffEntry.Prop("review").Str("by"), StringComparison.Ordinal);
        Assert.True(staffEntry.Prop("venue").GetProperty("sensitive").GetBoolean());
    }

    [Fact]
    public async Task An_engagements_history_shows_client_addresses_and_key_ids_to_admins_only()
    {
        var world = await SetUpAsync();
        using var admin = new PlanningClient(fixture.App.ClientWithKey(PlannerApp.AdminKey));
        var full = (await admin.GetJson($"/api/engagements/{world.Engagement}/history")).Items();
        Assert.NotEmpty(full);
        Assert.All(full, e => Assert.Equal("127.0.0.1", e.Str("clientAddress")));
        Assert.Contains(full, e => e.Prop("keyId").ValueKind == JsonValueKind.String && e.Str("actor").Contains(e.Str("keyId"), StringComparison.Ordinal));

        foreach (var key in new[] { world.ViewerKey, world.ReviewerKey, world.OrganiserKey })
        {
            using var caller = new PlanningClient(fixture.App.ClientWithKey(key));
            var history = (await caller.GetJson($"/api/engagements/{world.Engagement}/history")).Items();
            Assert.Equal(full.Count, history.Count);
            foreach (var entry in history)
            {
                Assert.Equal(JsonValueKind.Null, entry.Prop("clientAddress").ValueKind);
                Assert.Equal(JsonValueKind.Null, entry.Prop("keyId").ValueKind);
                Assert.DoesNotContain(full.Select(f => f.Prop("keyId")).Where(k => k.ValueKind == JsonValueKind.String).Select(k => k.GetString()!),
                    id => entry.Str("actor").Contains(id, StringComparison.Ordinal));
            }

            Assert.Contains(history, e => e.Str("actor").Contains(ReviewerName, StringComparison.Ordinal));
        }

        // The engagement's page shows the history from the same function.
        using var viewerPage = fixture.App.ClientWithKey(world.ViewerKey);
        var page = await viewerPage.GetStringAsync(new Uri($"/engagements/{world.Engagement}", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains(ReviewerName, page, StringComparison.Ordinal);
        var organiserKeyId = full.Where(f => f.Str("actor").StartsWith("protocol office", StringComparison.Ordinal)).Select(f => f.Str("keyId")).First();
        Assert.Contains("protocol office", page, StringComparison.Ordinal);
        Assert.DoesNotContain(organiserKeyId, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Who_reviewed_is_named_with_the_key_id_for_admins_and_by_name_alone_for_everyone_else()
    {
        var world = await SetUpAsync();
        using var admin = new PlanningClient(fixture.App.ClientWithKey(PlannerApp.AdminKey));
        var recorded = (await admin.GetJson($"/api/engagements/{world.Engagement}")).Prop("review").Str("by");
        var keyId = System.Text.RegularExpressions.Regex.Match(recorded, @"\(([0-9a-f-]{36})\)$").Groups[1].Value;
        Assert.True(keyId.Length == 36, $"The admin sees the reviewer's key id: {recorded}");
        var adminHistory = (await admin.GetJson($"/api/engagements/{world.Engagement}/history")).Items();
        Assert.Contains(adminHistory, e => e.Prop("after").ValueKind == JsonValueKind.Object && e.Prop("after").GetRawText().Contains(keyId, StringComparison.Ordinal));

        foreach (var key in new[] { world.OrganiserKey, world.ViewerKey, world.ReviewerKey })
        {
            using var caller = new PlanningClient(fixture.App.ClientWithKey(key));
            var engagement = await caller.GetJson($"/api/engagements/{world.Engagement}");
            Assert.Equal(ReviewerName, engagement.Prop("review").Str("by"));
            var listed = Assert.Single((await caller.GetJson($"/api/programmes/{engagement.Str("programmeId")}/engagements")).Items());
            Assert.Equal(ReviewerName, listed.Prop("review").Str("by"));
            var entry = Assert.Single((await caller.GetItinerary(world.Person)).Prop("entries").Items());
            Assert.Equal(ReviewerName, entry.Prop("review").Str("by"));
            var history = (await caller.GetJson($"/api/engagements/{world.Engagement}/history")).Items();
            Assert.DoesNotContain(history, e => e.GetRawText().Contains(keyId, StringComparison.Ordinal));
            Assert.Contains(history, e => e.GetRawText().Contains($"\"reviewBy\":\"{ReviewerName}\"", StringComparison.Ordinal));
            using var page = fixture.App.ClientWithKey(key);
            page.DefaultRequestHeaders.Accept.ParseAdd("text/html");
            var html = await page.GetStringAsync(new Uri($"/engagements/{world.Engagement}", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Contains(ReviewerName, html, StringComparison.Ordinal);
            Assert.DoesNotContain(keyId, html, StringComparison.Ordinal);
        }

        // Organisers' own changes answer with the engagement as they may see it, too.
        using var organiser = new PlanningClient(fixture.App.ClientWithKey(world.OrganiserKey));
        var confirmed = (await organiser.Post($"/api/engagements/{world.Engagement}/confirm", new { })).Ok();
        Assert.Equal(ReviewerName, confirmed.Prop("review").Str("by"));
    }

    [Fact]
    public async Task The_printable_itinerary_shows_a_delegate_only_what_the_api_shows_them()
    {
        var world = await SetUpAsync();
        using var delegatePage = fixture.App.ClientWithKey(world.DelegateKey);
        delegatePage.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var print = await delegatePage.GetStringAsync(new Uri($"/people/{world.Person}/print", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains("Secure laboratory visit", print, StringComparison.Ordinal);
        Assert.Contains("Ministry of Science and Technology", print, StringComparison.Ordinal);
        // Not the head of delegation's name or address: GET /api/delegations/{id} is closed to delegates.
        Assert.DoesNotContain(world.HeadEmail, print, StringComparison.Ordinal);
        Assert.DoesNotContain("Sir Peter Hawthorne", print, StringComparison.Ordinal);
        Assert.DoesNotContain(ReviewNote, print, StringComparison.Ordinal);
        Assert.DoesNotContain(ReviewerName, print, StringComparison.Ordinal);
        using var self = new PlanningClient(fixture.App.ClientWithKey(world.DelegateKey));
        (await self.Get($"/api/delegations/{world.Delegation}")).Expect(HttpStatusCode.Forbidden);

        // Staff's print of the same person lists the contacts.
        using var staffPage = fixture.App.ClientWithKey(world.OrganiserKey);
        staffPage.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var staffPrint = await staffPage.GetStringAsync(new Uri($"/people/{world.Person}/print", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains(world.HeadEmail, staffPrint, StringComparison.Ordinal);
    }

    private async Task<World> SetUpAsync()
    {
        using var admin = new PlanningClient(fixture.App.ClientWithKey(PlannerApp.AdminKey));
        var jcm = await Jcm.SetUp(admin);
        var headEmail = PlanningClient.UniqueEmail("Sir Peter Hawthorne");
        await admin.AddMember(jcm.DelegationId, "Sir Peter Hawthorne", "head", title: "Head of delegation", email: headEmail);
        var person = await jcm.NewDelegate(admin);
        var lab = (await admin.CreateVenue(Jcm.Diaoyutai().With("name", "The Secure Laboratory").With("sensitive", true))).Id();
        var organiserKey = await admin.CreateKey("protocol office", "organiser");
        using var organiser = new PlanningClient(fixture.App.ClientWithKey(organiserKey));
        var body = PlanningClient.MeetingBody(lab, "2025-11-11T10:00", "2025-11-11T12:00", "Secure laboratory visit", "site-visit");
        body["host"] = "Ministry of Science and Technology";
        var visit = (await organiser.TryCreateEngagement(jcm.ProgrammeId, body)).Created();
        Assert.Equal("required", visit.Prop("review").Str("status"));
        await organiser.AddAttendee(visit.Id(), person);
        var reviewerKey = await admin.CreateKey(ReviewerName, "reviewer");
        using var reviewer = new PlanningClient(fixture.App.ClientWithKey(reviewerKey));
        (await reviewer.Post($"/api/engagements/{visit.Id()}/review", new { decision = "approved", note = ReviewNote })).Ok();
        return new World(jcm.DelegationId, person, visit.Id(), headEmail, await admin.CreateKey("delegate's phone", "delegate", person),
            await admin.CreateKey("press office", "viewer"), reviewerKey, organiserKey);
    }

    private sealed record World(
        string Delegation, string Person, string Engagement, string HeadEmail, string DelegateKey, string ViewerKey, string ReviewerKey, string OrganiserKey);
}
