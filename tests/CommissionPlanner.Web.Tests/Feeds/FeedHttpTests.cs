using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;
using Microsoft.Extensions.DependencyInjection;

namespace CommissionPlanner.Web.Tests.Feeds;

/// <summary>The feed URLs over HTTP: creation, conditional requests, HEAD, changes, revocation, rotation and fetch recording.</summary>
public sealed partial class FeedHttpTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private PlanningClient Api() => new(fixture.App.AdminClient());

    private FeedClient Feeds => new(fixture.App);

    [GeneratedRegex(@"^https?://[^/\s]+/feeds/([A-Za-z0-9_-]+)\.ics$")]
    private static partial Regex FeedUrlPattern();

    [Fact]
    public async Task Creating_person_delegation_programme_and_engagement_feeds_answers_201_with_id_url_and_webcal_url()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var subjects = new (string Route, string Scope, string SubjectId)[]
        {
            ("people", "person", world.PersonId),
            ("delegations", "delegation", world.Jcm.DelegationId),
            ("programmes", "programme", world.ProgrammeId),
            ("engagements", "engagement", world.PlenaryId),
        };

        var tokens = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (route, scope, subjectId) in subjects)
        {
            var result = await FeedClient.TryCreate(api, route, subjectId);
            var feed = FeedClient.Parse(result);

            var url = feed.Url.OriginalString;
            var match = FeedUrlPattern().Match(url);
            Assert.True(match.Success, $"{route}: url is not an absolute http(s)://…/feeds/{{token}}.ics: {result.Describe()}");
            // At least 128 bits: 22 base64url characters carry 132.
            Assert.True(match.Groups[1].Value.Length >= 22, $"{route}: the token is too short to hold 128 bits: {url}");
            Assert.True(tokens.Add(match.Groups[1].Value), $"{route}: a token was reused: {url}");

            var webcal = feed.WebcalUrl.OriginalString;
            Assert.StartsWith("webcal://", webcal, StringComparison.Ordinal);
            Assert.Equal(url[url.IndexOf("://", StringComparison.Ordinal)..], webcal["webcal".Length..]);

            Assert.True(result.Location is not null, $"{route}: no Location: {result.Describe()}");
            Assert.Contains(feed.Id, result.Location.OriginalString, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(scope, feed.Json.Str("scope"));
            Assert.Equal(subjectId, feed.Json.Str("subjectId"));
            Assert.Equal("full", feed.Json.Str("detail"));

            var calendar = await Feeds.Calendar(feed.Url);
            Assert.True(FeedText.HasEventFor(calendar, world.PlenaryId), $"{route}: the {scope} feed lacks the plenary:\n{calendar}");
        }
    }

    [Fact]
    public async Task Fetching_a_feed_answers_200_text_calendar_utf8_with_ETag_Last_Modified_and_private_Cache_Control()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var response = await Feeds.Fetch(feed.Url);

        response.Expect(HttpStatusCode.OK);
        Assert.True(response.ContentType is { MediaType: "text/calendar" }, $"Not text/calendar: {response.Describe()}");
        Assert.True(string.Equals(response.ContentType.CharSet, "utf-8", StringComparison.OrdinalIgnoreCase), $"Not charset=utf-8: {response.Describe()}");
        Assert.True(response.ETag is { IsWeak: false }, $"No strong ETag: {response.Describe()}");
        Assert.True(response.LastModified is { } lastModified && lastModified >= before.AddSeconds(-1) && lastModified <= DateTimeOffset.UtcNow.AddSeconds(1),
            $"No plausible Last-Modified: {response.Describe()}");
        Assert.True(response.CacheControl is { Private: true }, $"Cache-Control is not private: {response.Describe()}");
        Assert.False(response.Body is [0xEF, 0xBB, 0xBF, ..], "The feed starts with a byte-order mark.");
        Assert.EndsWith("END:VCALENDAR\r\n", response.Calendar(), StringComparison.Ordinal);
        Assert.Equal(FeedScenario.PlenaryTitle, FeedText.Value(FeedText.EventFor(response.Text, world.PlenaryId), "SUMMARY"));

        // The same content gives the same ETag.
        var again = await Feeds.Fetch(feed.Url);
        Assert.Equal(response.RawETag, again.RawETag);
        Assert.Equal(response.Body, again.Body);
    }

    [Fact]
    public async Task Calendars_fetching_a_changed_feed_together_share_one_render()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "programmes", world.ProgrammeId);
        var service = Service();
        await RenderedAhead(service);
        await api.PatchEngagement(world.PlenaryId, new { description = "The agenda as agreed." });
        var before = service.RendersStarted;

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Feeds.Fetch(feed.Url)));

        foreach (var response in responses)
        {
            response.Expect(HttpStatusCode.OK);
            Assert.Contains("The agenda as agreed.", response.Text, StringComparison.Ordinal);
        }

        Assert.Single(responses.Select(r => r.RawETag).Distinct());
        // Nothing else changes this programme meanwhile, so one stamp and one render for all eight.
        Assert.Equal(1, service.RendersStarted - before);
    }

    [Fact]
    public async Task A_new_feed_is_rendered_ahead_so_its_first_GET_renders_nothing()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var service = Service();
        await RenderedAhead(service);
        var before = service.RendersStarted;

        var feed = await FeedClient.Create(api, "programmes", world.ProgrammeId);
        await RenderedAhead(service);
        Assert.Equal(1, service.RendersStarted - before);
        var first = (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);

        Assert.Equal(1, service.RendersStarted - before);
        Assert.True(FeedText.HasEventFor(first.Text, world.PlenaryId), $"The feed rendered ahead lacks the plenary:\n{first.Text}");

        // A rotated feed's new URL is rendered ahead too.
        var rotated = FeedClient.Parse(await api.Post($"/api/feeds/{feed.Id}/rotate", null));
        await RenderedAhead(service);
        Assert.Equal(2, service.RendersStarted - before);
        (await Feeds.Fetch(rotated.Url)).Expect(HttpStatusCode.OK);
        Assert.Equal(2, service.RendersStarted - before);
    }

    private CommissionPlanner.Web.Feeds.FeedService Service() => fixture.App.Services.GetRequiredService<CommissionPlanner.Web.Feeds.FeedService>();

    /// <summary>Waits (10 s at most) until no render is queued or running.</summary>
    private static async Task RenderedAhead(CommissionPlanner.Web.Feeds.FeedService service)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (service.Rendering)
        {
            Assert.True(DateTime.UtcNow < until, "The feed was not rendered within 10 seconds.");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task If_None_Match_with_the_current_ETag_answers_304_without_a_body()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        var first = (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);

        var conditional = await Feeds.Fetch(feed.Url, headers: h => h.IfNoneMatch.Add(first.ETag!));

        conditional.Expect(HttpStatusCode.NotModified);
        Assert.Empty(conditional.Body);
        Assert.Equal(first.RawETag, conditional.RawETag);

        // A list that contains the current tag matches too, and an unrelated tag does not.
        var inList = await Feeds.Fetch(feed.Url, headers: h =>
        {
            h.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
            h.IfNoneMatch.Add(first.ETag!);
        });
        inList.Expect(HttpStatusCode.NotModified);
        var other = await Feeds.Fetch(feed.Url, headers: h => h.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\"")));
        Assert.Equal(first.Body, other.Expect(HttpStatusCode.OK).Body);
    }

    [Fact]
    public async Task A_304_carries_what_updates_the_stored_feed_and_leaves_the_security_headers_to_the_stored_200()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        var first = (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);
        string[] security = ["X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Permissions-Policy", "Content-Security-Policy",
            "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy"];
        Assert.All(security, name => Assert.Contains(name, first.HeaderNames));

        var conditional = (await Feeds.Fetch(feed.Url, headers: h => h.IfNoneMatch.Add(first.ETag!))).Expect(HttpStatusCode.NotModified);

        Assert.Equal(first.RawETag, conditional.RawETag);
        Assert.True(conditional.CacheControl is { Private: true, NoCache: true }, conditional.CacheControl?.ToString());
        Assert.All(security, name => Assert.DoesNotContain(name, conditional.HeaderNames));
    }

    [Fact]
    public async Task If_Modified_Since_the_Last_Modified_answers_304()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        var first = (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);
        Assert.NotNull(first.LastModified);

        var same = await Feeds.Fetch(feed.Url, headers: h => h.IfModifiedSince = first.LastModified);
        var later = await Feeds.Fetch(feed.Url, headers: h => h.IfModifiedSince = first.LastModified!.Value.AddMinutes(5));
        var earlier = await Feeds.Fetch(feed.Url, headers: h => h.IfModifiedSince = first.LastModified!.Value.AddHours(-1));

        same.Expect(HttpStatusCode.NotModified);
        Assert.Empty(same.Body);
        later.Expect(HttpStatusCode.NotModified);
        Assert.Equal(first.Body, earlier.Expect(HttpStatusCode.OK).Body);
    }

    [Fact]
    public async Task If_None_Match_takes_precedence_over_If_Modified_Since()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        var first = (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);

        // RFC 9110 §13.1.3: with If-None-Match present, If-Modified-Since is ignored.
        var staleTag = await Feeds.Fetch(feed.Url, headers: h =>
        {
            h.IfNoneMatch.Add(new EntityTagHeaderValue("\"not-the-current-tag\""));
            h.IfModifiedSince = first.LastModified!.Value.AddMinutes(5);
        });

        Assert.Equal(first.Body, staleTag.Expect(HttpStatusCode.OK).Body);
    }

    [Fact]
    public async Task HEAD_answers_200_with_the_feed_headers_and_no_body()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        var get = (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);

        var head = await Feeds.Fetch(feed.Url, HttpMethod.Head);

        head.Expect(HttpStatusCode.OK);
        Assert.Empty(head.Body);
        Assert.Equal("text/calendar", head.ContentType?.MediaType);
        Assert.Equal(get.RawETag, head.RawETag);
        Assert.Equal(get.LastModified, head.LastModified);
        Assert.True(head.CacheControl is { Private: true }, $"HEAD without private Cache-Control: {head.Describe()}");
        if (head.ContentLength is { } length)
        {
            Assert.Equal(get.Body.Length, length);
        }

        var conditional = await Feeds.Fetch(feed.Url, HttpMethod.Head, h => h.IfNoneMatch.Add(get.ETag!));
        conditional.Expect(HttpStatusCode.NotModified);
    }

    [Fact]
    public async Task Last_Modified_is_never_later_than_Date_even_for_changes_within_one_second()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        var answers = new List<FeedResponse> { (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK) };
        // Changes back to back: two within one second get Last-Modified a second apart (the one-second rule), which
        // puts the second one ahead of the clock.
        for (var i = 0; i < 6; i++)
        {
            await api.PatchEngagement(world.PlenaryId, new { start = $"2025-11-11T09:{10 + i}" });
            answers.Add((await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK));
        }

        foreach (var answer in answers)
        {
            Assert.True(answer is { Date: { } date, LastModified: { } lastModified } && lastModified <= date,
                $"Last-Modified {answer.LastModified:R} is later than Date {answer.Date:R}");
        }

        // A client that sends only If-Modified-Since with the last answer's time still gets each new change.
        await api.PatchEngagement(world.PlenaryId, new { start = "2025-11-11T09:30" });
        var changed = await Feeds.Fetch(feed.Url, headers: h => h.IfModifiedSince = answers[^1].LastModified);
        changed.Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task After_the_engagement_moves_the_ETag_changes_SEQUENCE_increases_and_Last_Modified_does_not_go_back()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        var before = (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);
        var sequenceBefore = FeedText.Sequence(FeedText.EventFor(before.Text, world.PlenaryId));

        // Past the one-second resolution of HTTP dates, so a forward move is visible.
        await Task.Delay(TimeSpan.FromSeconds(1.2), TestContext.Current.CancellationToken);
        var moved = await api.PatchEngagement(world.PlenaryId, new { start = "2025-11-11T09:30" });

        var after = (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);
        Assert.NotEqual(before.RawETag, after.RawETag);
        var vevent = FeedText.EventFor(after.Text, world.PlenaryId);
        Assert.True(FeedText.Sequence(vevent) > sequenceBefore, $"SEQUENCE did not increase from {sequenceBefore}:\n{after.Text}");
        Assert.Equal(moved.Required("sequence").GetInt32(), FeedText.Sequence(vevent));
        Assert.Contains("T093000", FeedText.Value(vevent, "DTSTART"), StringComparison.Ordinal);
        Assert.True(after.LastModified >= before.LastModified, $"Last-Modified went back: {before.LastModified:R} → {after.LastModified:R}");
        Assert.True(after.LastModified > before.LastModified, $"Last-Modified did not move with the content: {before.LastModified:R} → {after.LastModified:R}");

        // A client holding the old validators gets the new feed; one holding the new ones gets 304.
        var oldTag = await Feeds.Fetch(feed.Url, headers: h => h.IfNoneMatch.Add(before.ETag!));
        Assert.Equal(after.Body, oldTag.Expect(HttpStatusCode.OK).Body);
        var oldDate = await Feeds.Fetch(feed.Url, headers: h => h.IfModifiedSince = before.LastModified);
        Assert.Equal(after.Body, oldDate.Expect(HttpStatusCode.OK).Body);
        (await Feeds.Fetch(feed.Url, headers: h => h.IfNoneMatch.Add(after.ETag!))).Expect(HttpStatusCode.NotModified);

        // Fetching unchanged content again never moves Last-Modified.
        var unchanged = (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);
        Assert.Equal(after.LastModified, unchanged.LastModified);
    }

    [Fact]
    public async Task A_change_in_the_same_second_as_the_last_one_is_not_hidden_from_If_Modified_Since_clients()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);

        // A client that validates with If-Modified-Since alone (no ETag) must see every change. HTTP dates have
        // one-second resolution, so two content versions must never share a Last-Modified second.
        FeedResponse? seen = null;
        FeedResponse? changed = null;
        for (var attempt = 0; attempt < 5 && (changed is null || changed.LastModified != seen!.LastModified); attempt++)
        {
            // Start just after a second boundary so that both changes can land in the same second.
            await Task.Delay(TimeSpan.FromMilliseconds(1000 - DateTime.UtcNow.Millisecond + 20), TestContext.Current.CancellationToken);
            await api.PatchEngagement(world.PlenaryId, new { description = $"Agenda v{attempt}a" });
            seen = (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);
            await api.PatchEngagement(world.PlenaryId, new { description = $"Agenda v{attempt}b" });
            changed = (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);
            Assert.NotEqual(seen.RawETag, changed.RawETag);
        }

        var revalidated = await Feeds.Fetch(feed.Url, headers: h => h.IfModifiedSince = seen!.LastModified);

        Assert.True(revalidated.Status == HttpStatusCode.OK,
            $"The feed changed (ETag {seen!.RawETag} → {changed!.RawETag}) but Last-Modified stayed {changed.LastModified:R}, "
            + $"so a client sending If-Modified-Since: {seen.LastModified:R} is told nothing changed: {revalidated.Describe()}");
    }

    [Fact]
    public async Task Revoking_a_feed_answers_204_and_its_URL_then_404s_exactly_like_an_unknown_or_malformed_token()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);

        (await api.Send(HttpMethod.Delete, $"/api/feeds/{feed.Id}")).Expect(HttpStatusCode.NoContent);

        var revoked = (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.NotFound);
        var unknown = (await Feeds.Fetch(FeedClient.Sibling(feed.Url, FeedClient.UnknownToken() + ".ics"))).Expect(HttpStatusCode.NotFound);
        var malformed = (await Feeds.Fetch(FeedClient.Sibling(feed.Url, "not-a-token.ics"))).Expect(HttpStatusCode.NotFound);
        var noExtension = (await Feeds.Fetch(FeedClient.Sibling(feed.Url, FeedClient.UnknownToken())))
            .Expect(HttpStatusCode.NotFound);
        var revokedHead = (await Feeds.Fetch(feed.Url, HttpMethod.Head)).Expect(HttpStatusCode.NotFound);
        var unknownHead = (await Feeds.Fetch(FeedClient.Sibling(feed.Url, FeedClient.UnknownToken() + ".ics"), HttpMethod.Head))
            .Expect(HttpStatusCode.NotFound);

        foreach (var other in new[] { unknown, malformed, noExtension })
        {
            Assert.Equal(Shape(revoked), Shape(other));
        }

        Assert.Equal(Shape(revokedHead), Shape(unknownHead));
        Assert.Null(revoked.RawETag);

        // The feed resource stays, marked revoked; revoking again is harmless.
        var resource = await api.GetJson($"/api/feeds/{feed.Id}");
        Assert.Equal(JsonValueKind.String, resource.Required("revokedAt").ValueKind);
        (await api.Send(HttpMethod.Delete, $"/api/feeds/{feed.Id}")).Expect(HttpStatusCode.NoContent);
        (await api.Send(HttpMethod.Delete, $"/api/feeds/{Guid.NewGuid()}")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Rotating_a_feed_answers_201_with_a_new_url_the_old_url_404s_and_the_new_one_serves_the_same_subject()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId, "busy");
        var original = await Feeds.Calendar(feed.Url);

        var rotated = FeedClient.Parse(await api.Post($"/api/feeds/{feed.Id}/rotate", null));

        Assert.NotEqual(feed.Url, rotated.Url);
        Assert.NotEqual(feed.Id, rotated.Id);
        Assert.StartsWith("webcal://", rotated.WebcalUrl.OriginalString, StringComparison.Ordinal);
        Assert.Equal("person", rotated.Json.Str("scope"));
        Assert.Equal(world.PersonId, rotated.Json.Str("subjectId"));
        Assert.Equal("busy", rotated.Json.Str("detail"));
        (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.NotFound);
        var fresh = await Feeds.Calendar(rotated.Url);
        Assert.Equal(original, fresh);
        Assert.Equal(JsonValueKind.String, (await api.GetJson($"/api/feeds/{feed.Id}")).Required("revokedAt").ValueKind);
    }

    [Fact]
    public async Task Fetching_a_feed_records_lastFetchedAt_and_the_User_Agent_on_the_feed_resource()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        var unfetched = await api.GetJson($"/api/feeds/{feed.Id}");
        Assert.True(unfetched.Prop("lastFetchedAt").ValueKind is JsonValueKind.Null or JsonValueKind.Undefined,
            $"A feed nobody fetched has a lastFetchedAt: {unfetched.GetRawText()}");
        Assert.True(unfetched.Prop("url").ValueKind is JsonValueKind.Null or JsonValueKind.Undefined,
            $"The feed resource repeats its secret URL: {unfetched.GetRawText()}");
        var start = DateTimeOffset.UtcNow.AddSeconds(-2);

        (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);

        var fetched = await api.GetJson($"/api/feeds/{feed.Id}");
        var at = PlanningAssert.ParseUtc(fetched.Required("lastFetchedAt"));
        Assert.InRange(at, start, DateTimeOffset.UtcNow.AddSeconds(2));
        Assert.Equal(FeedClient.ClientAgent, fetched.Str("lastUserAgent"));

        // Another client (a different User-Agent) shows up at once.
        const string apple = "iOS/18.1 (22B83) dataaccessd/1.0";
        (await Feeds.Fetch(feed.Url, headers: h =>
        {
            h.UserAgent.Clear();
            h.TryAddWithoutValidation("User-Agent", apple);
        })).Expect(HttpStatusCode.OK);
        Assert.Equal(apple, (await api.GetJson($"/api/feeds/{feed.Id}")).Str("lastUserAgent"));
    }

    /// <summary>What a client can tell a 404 by: status, headers that matter and the body without its per-request trace id.</summary>
    private static string Shape(FeedResponse response)
    {
        string body;
        if (response.Body.Length == 0)
        {
            body = string.Empty;
        }
        else
        {
            using var document = JsonDocument.Parse(response.Text);
            body = string.Join(",", document.RootElement.EnumerateObject()
                .Where(p => !p.NameEquals("traceId"))
                .Select(p => $"{p.Name}={p.Value.GetRawText()}"));
        }

        return $"{(int)response.Status} {response.ContentType} etag={response.RawETag} lm={response.LastModified:R} cc={response.CacheControl} {body}";
    }
}
