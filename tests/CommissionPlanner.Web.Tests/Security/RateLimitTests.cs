using System.Net;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Security;

/// <summary>A host with small limits, so a test reaches them in a few requests.</summary>
public sealed class RateLimitFixture : ConfiguredPlannerFixture
{
    public const int ApiPerMinute = 40;
    public const int FeedPerMinute = 3;
    public const int ReplyPerMinute = 2;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Planner:RateLimits:ApiPerMinute"] = $"{ApiPerMinute}",
        ["Planner:RateLimits:FeedPerMinute"] = $"{FeedPerMinute}",
        ["Planner:RateLimits:ReplyPerMinute"] = $"{ReplyPerMinute}",
    };
}

public sealed class RateLimitTests(RateLimitFixture fixture) : IClassFixture<RateLimitFixture>
{
    [Fact]
    public async Task Each_key_feed_token_and_reply_token_has_its_own_limit_and_the_429_says_when_to_retry()
    {
        // Set-up spends some of the admin key's allowance; the limits below are counted on other keys and tokens.
        using var admin = new PlanningClient(fixture.App.ClientWithKey(PlannerApp.AdminKey));
        var jcm = await Jcm.SetUp(admin);
        var person = await jcm.NewDelegate(admin);
        var meeting = await admin.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:00");
        await admin.AddAttendee(meeting.Id(), person);
        var feedUrl = (await admin.Post($"/api/programmes/{jcm.ProgrammeId}/feeds", new { })).Created().Str("url");
        var otherFeedUrl = (await admin.Post($"/api/people/{person}/feeds", new { })).Created().Str("url");
        var replyUrl = (await admin.Post($"/api/engagements/{meeting.Id()}/attendees/{person}/reply-link", null)).Created().Str("url");
        var viewerKey = await admin.CreateKey("busy viewer", "viewer");
        var otherViewerKey = await admin.CreateKey("quiet viewer", "viewer");

        // Per key.
        using var viewer = new PlanningClient(fixture.App.ClientWithKey(viewerKey));
        for (var i = 0; i < RateLimitFixture.ApiPerMinute; i++)
        {
            (await viewer.Get("/api/programmes")).Ok();
        }

        await AssertLimited(viewer.Http, HttpMethod.Get, "/api/programmes");
        // A write over the limit is refused before it is looked at.
        await AssertLimited(viewer.Http, HttpMethod.Post, "/api/programmes", "{}");
        using var quiet = new PlanningClient(fixture.App.ClientWithKey(otherViewerKey));
        (await quiet.Get("/api/programmes")).Ok();

        // Per feed token: anonymous, the URL is the secret.
        using var anonymous = new PlanningClient(fixture.App.CreateClient());
        var feedPath = new Uri(feedUrl).AbsolutePath;
        for (var i = 0; i < RateLimitFixture.FeedPerMinute; i++)
        {
            (await anonymous.Get(feedPath)).Expect(HttpStatusCode.OK);
        }

        await AssertLimited(anonymous.Http, HttpMethod.Get, feedPath);
        (await anonymous.Get(new Uri(otherFeedUrl).AbsolutePath)).Expect(HttpStatusCode.OK);

        // Per reply token: reads and answers count together.
        var replyPath = new Uri(replyUrl).AbsolutePath;
        (await anonymous.Get(replyPath)).Ok();
        (await anonymous.Post(replyPath, new { response = "accepted" })).Ok();
        await AssertLimited(anonymous.Http, HttpMethod.Post, replyPath, """{"response": "declined"}""");
        Assert.Equal("accepted", (await admin.GetJson($"/api/engagements/{meeting.Id()}/attendees")).Items().Single().Str("response"));

        // Health checks are never limited.
        for (var i = 0; i < 10; i++)
        {
            (await anonymous.Get("/health/live")).Expect(HttpStatusCode.OK);
        }

        // The limiter keys feed and reply partitions by a hash: no token appears in any log message.
        Assert.NotEmpty(fixture.App.Logs.Messages);
        fixture.App.Logs.AssertNoneContain(viewerKey, otherViewerKey, Token(feedUrl), Token(otherFeedUrl), Token(replyUrl), PlannerApp.AdminKey);
    }

    [Fact]
    public async Task Requests_without_a_valid_key_are_limited_by_address()
    {
        using var guesser = new PlanningClient(fixture.App.ClientWithKey("cpk_guess"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= RateLimitFixture.ApiPerMinute * 2 && !statuses.Contains(HttpStatusCode.TooManyRequests); i++)
        {
            statuses.Add((await guesser.Get("/api/programmes")).Status);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.All(statuses.SkipLast(1), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
    }

    /// <summary>429 problem details with a Retry-After of at most the one-minute window.</summary>
    private static async Task AssertLimited(HttpClient client, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Contains("Try again", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private static string Token(string url) => new Uri(url).Segments[^1].Replace(".ics", string.Empty, StringComparison.Ordinal);
}
