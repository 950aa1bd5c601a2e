using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Feeds;

/// <summary>A feed as its create (or rotate) answer shows it.</summary>
internal sealed record CreatedFeed(string Id, Uri Url, Uri WebcalUrl, JsonElement Json);

/// <summary>One answer from <c>/feeds/{token}.ics</c>, kept whole for assertions.</summary>
internal sealed class FeedResponse(HttpMethod method, Uri url, HttpResponseMessage response, byte[] body)
{
    public HttpStatusCode Status { get; } = response.StatusCode;

    public byte[] Body { get; } = body;

    public string Text { get; } = Encoding.UTF8.GetString(body);

    public MediaTypeHeaderValue? ContentType { get; } = response.Content.Headers.ContentType;

    public long? ContentLength { get; } = response.Content.Headers.ContentLength;

    public EntityTagHeaderValue? ETag { get; } = response.Headers.ETag;

    public string? RawETag { get; } = response.Headers.TryGetValues("ETag", out var tags) ? tags.Single() : null;

    public DateTimeOffset? LastModified { get; } = response.Content.Headers.LastModified;

    public DateTimeOffset? Date { get; } = response.Headers.Date;

    public CacheControlHeaderValue? CacheControl { get; } = response.Headers.CacheControl;

    /// <summary>The names of the response's headers and its content's.</summary>
    public IReadOnlySet<string> HeaderNames { get; } =
        response.Headers.Concat(response.Content.Headers).Select(h => h.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public string Describe() =>
        $"{method} {url} → {(int)Status} {Status} {ContentType} ETag={RawETag} Last-Modified={LastModified:R} Cache-Control={CacheControl}: {Text}";

    public FeedResponse Expect(HttpStatusCode expected)
    {
        Assert.True(Status == expected, $"Expected {(int)expected} {expected} but got {Describe()}");
        return this;
    }

    /// <summary>200 with an iCalendar body.</summary>
    public string Calendar()
    {
        Expect(HttpStatusCode.OK);
        Assert.True(Text.StartsWith("BEGIN:VCALENDAR\r\n", StringComparison.Ordinal), $"Not an iCalendar body: {Describe()}");
        return Text;
    }
}

/// <summary>Feed calls: creating feeds through the API (with a key) and fetching them as a calendar client does (without one).</summary>
internal sealed class FeedClient(PlannerApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public const string ClientAgent = "CommissionPlanner-FeedTests/1.0 (like Thunderbird)";

    public static Task<ApiResult> TryCreate(PlanningClient api, string scope, string subjectId, string? detail = null) =>
        detail is null
            ? api.Send(HttpMethod.Post, $"/api/{scope}/{subjectId}/feeds")
            : api.Post($"/api/{scope}/{subjectId}/feeds", new { detail });

    /// <summary>Creates a feed; scope is the route segment (people, delegations, programmes, engagements).</summary>
    public static async Task<CreatedFeed> Create(PlanningClient api, string scope, string subjectId, string? detail = null) =>
        Parse(await TryCreate(api, scope, subjectId, detail));

    public static CreatedFeed Parse(ApiResult result)
    {
        var json = result.Created();
        var url = new Uri(json.Str("url"), UriKind.Absolute);
        var webcal = new Uri(json.Str("webcalUrl"), UriKind.Absolute);
        return new CreatedFeed(json.Id(), url, webcal, json);
    }

    /// <summary>A request to a feed URL with no API key, like a subscribed calendar.</summary>
    public async Task<FeedResponse> Fetch(Uri url, HttpMethod? method = null, Action<HttpRequestHeaders>? headers = null)
    {
        method ??= HttpMethod.Get;
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(method, url);
        request.Headers.UserAgent.ParseAdd(ClientAgent);
        headers?.Invoke(request.Headers);
        using var response = await client.SendAsync(request, Cancel);
        var body = await response.Content.ReadAsByteArrayAsync(Cancel);
        return new FeedResponse(method, url, response, body);
    }

    public async Task<string> Calendar(Uri url) => (await Fetch(url)).Calendar();

    /// <summary>A feed URL for a path on the same host (for unknown and malformed tokens).</summary>
    public static Uri Sibling(Uri url, string file) => new(url, "/feeds/" + file);

    /// <summary>A token shaped like a real one (base64url of 32 bytes) that no feed has.</summary>
    public static string UnknownToken() =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
