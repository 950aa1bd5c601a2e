using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace CommissionPlanner.Web.Tests.Planning;

/// <summary>
/// The planning API as a test sees it: typed calls that send the contract's JSON, assert the status
/// they expect (with the response body in the failure message) and return the parsed resource, so a
/// test reads as a scenario. The <c>Try…</c>/<c>Send</c> calls return the raw answer for tests of errors.
/// </summary>
public sealed class PlanningClient(HttpClient http) : IDisposable
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public HttpClient Http { get; } = http;

    public void Dispose() => Http.Dispose();

    // ---- Raw calls ----------------------------------------------------------------------------

    public async Task<ApiResult> Send(HttpMethod method, string path, HttpContent? content = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.RelativeOrAbsolute)) { Content = content };
        configure?.Invoke(request);
        using var response = await Http.SendAsync(request, Cancel);
        var bytes = await response.Content.ReadAsByteArrayAsync(Cancel);
        return new ApiResult(
            method,
            path,
            response.StatusCode,
            bytes,
            response.Content.Headers.ContentType?.MediaType,
            response.Headers.Location)
        {
            Headers = response.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase),
        };
    }

    public Task<ApiResult> Get(string path, string? accept = null) =>
        Send(HttpMethod.Get, path, configure: accept is null ? null : r => r.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept)));

    public Task<ApiResult> Post(string path, object? body) => Send(HttpMethod.Post, path, body is null ? null : JsonContent.Create(body));

    public Task<ApiResult> PostRaw(string path, string rawJson) =>
        Send(HttpMethod.Post, path, new StringContent(rawJson, Encoding.UTF8, "application/json"));

    public Task<ApiResult> Patch(string path, object body, string? ifMatch = null, string mediaType = "application/merge-patch+json")
    {
        var content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, mediaType);
        return Send(HttpMethod.Patch, path, content, ifMatch is null ? null : r => r.Headers.TryAddWithoutValidation("If-Match", $"\"{ifMatch}\""));
    }

    // ---- Programmes, venues, delegations, people ------------------------------------------------

    public Task<ApiResult> TryCreateProgramme(object body) => Post("/api/programmes", body);

    public async Task<JsonElement> CreateProgramme(
        string name = Jcm.ProgrammeName, string startDate = "2025-11-10", string endDate = "2025-11-13",
        string timeZone = "Asia/Shanghai", string[]? areas = null) =>
        (await TryCreateProgramme(new { name, startDate, endDate, timeZone, areas = areas ?? Jcm.AgreedAreas })).Created();

    public Task<ApiResult> TryCreateVenue(object body) => Post("/api/venues", body);

    public async Task<JsonElement> CreateVenue(object body) => (await TryCreateVenue(body)).Created();

    public async Task<JsonElement> CreateDelegation(string programmeId, string name = "UK delegation", string country = "GB") =>
        (await Post($"/api/programmes/{programmeId}/delegations", new { name, country })).Created();

    public Task<ApiResult> TryAddMember(string delegationId, object body) => Post($"/api/delegations/{delegationId}/members", body);

    public async Task<JsonElement> AddMember(
        string delegationId, string fullName, string role = "member", string? localName = null,
        string organisation = "Department for Science, Innovation and Technology", string title = "Delegate", string? email = null) =>
        (await TryAddMember(delegationId, Body(
            ("fullName", fullName),
            ("localName", localName),
            ("organisation", organisation),
            ("title", title),
            ("email", email ?? UniqueEmail(fullName)),
            ("role", role)))).Created();

    public async Task<JsonElement> GetJson(string path) => (await Get(path)).Ok();

    // ---- Engagements ----------------------------------------------------------------------------

    public Task<ApiResult> TryCreateEngagement(string programmeId, object body) => Post($"/api/programmes/{programmeId}/engagements", body);

    public static Dictionary<string, object?> MeetingBody(
        string venueId, string start, string end, string title = "Bilateral meeting", string kind = "meeting",
        string? timeZone = null, int? capacity = null, string[]? areas = null) =>
        Body(
            ("kind", kind),
            ("title", title),
            ("venueId", venueId),
            ("start", start),
            ("end", end),
            ("timeZone", timeZone),
            ("areas", areas),
            ("capacity", capacity));

    public async Task<JsonElement> CreateMeeting(
        string programmeId, string venueId, string start, string end, string title = "Bilateral meeting",
        string kind = "meeting", string? timeZone = null, int? capacity = null, string[]? areas = null) =>
        (await TryCreateEngagement(programmeId, MeetingBody(venueId, start, end, title, kind, timeZone, capacity, areas))).Created();

    public static Dictionary<string, object?> TravelBody(
        string fromVenueId, string toVenueId, string departure, string arrival, string title = "Flight", string mode = "flight",
        string? reference = null) =>
        Body(
            ("kind", "travel"),
            ("title", title),
            ("fromVenueId", fromVenueId),
            ("toVenueId", toVenueId),
            ("departure", departure),
            ("arrival", arrival),
            ("mode", mode),
            ("reference", reference));

    public async Task<JsonElement> CreateTravelLeg(
        string programmeId, string fromVenueId, string toVenueId, string departure, string arrival,
        string title = "Flight", string mode = "flight", string? reference = null) =>
        (await TryCreateEngagement(programmeId, TravelBody(fromVenueId, toVenueId, departure, arrival, title, mode, reference))).Created();

    public async Task<JsonElement> GetEngagement(string engagementId) => await GetJson($"/api/engagements/{engagementId}");

    public Task<ApiResult> TryPatchEngagement(string engagementId, object changes, string? ifMatch = null, string mediaType = "application/merge-patch+json") =>
        Patch($"/api/engagements/{engagementId}", changes, ifMatch, mediaType);

    public async Task<JsonElement> PatchEngagement(string engagementId, object changes, string? ifMatch = null) =>
        (await TryPatchEngagement(engagementId, changes, ifMatch)).Ok();

    public async Task<JsonElement> CancelEngagement(string engagementId, string reason) =>
        (await Post($"/api/engagements/{engagementId}/cancel", new { reason })).Ok();

    public async Task<JsonElement> ListEngagements(string programmeId, string? query = null) =>
        await GetJson($"/api/programmes/{programmeId}/engagements{(query is null ? string.Empty : "?" + query)}");

    // ---- Attendees, itineraries, conflicts --------------------------------------------------------

    public Task<ApiResult> TryAddAttendee(string engagementId, string personId, string role = "required") =>
        Post($"/api/engagements/{engagementId}/attendees", new { personId, role });

    public async Task<JsonElement> AddAttendee(string engagementId, string personId, string role = "required") =>
        (await TryAddAttendee(engagementId, personId, role)).Created(requireId: false);

    public Task<ApiResult> TrySetResponse(string engagementId, string personId, string response) =>
        Patch($"/api/engagements/{engagementId}/attendees/{personId}", new { response });

    public async Task<JsonElement> SetResponse(string engagementId, string personId, string response) =>
        (await TrySetResponse(engagementId, personId, response)).Ok();

    public async Task<JsonElement> GetAttendees(string engagementId) => await GetJson($"/api/engagements/{engagementId}/attendees");

    public async Task<JsonElement> GetItinerary(string personId) => await GetJson($"/api/people/{personId}/itinerary");

    public async Task<JsonElement> GetConflicts(string programmeId) => await GetJson($"/api/programmes/{programmeId}/conflicts");

    // ---- Keys --------------------------------------------------------------------------------------

    public async Task<string> CreateKey(string name, string role, string? personId = null) =>
        (await Post("/api/keys", Body(("name", name), ("role", role), ("personId", personId)))).Created().Str("key");

    // ---- Helpers -----------------------------------------------------------------------------------

    /// <summary>A JSON object of the given fields, leaving out the null ones (optional fields not sent).</summary>
    public static Dictionary<string, object?> Body(params (string Name, object? Value)[] fields)
    {
        var body = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                body[name] = value;
            }
        }

        return body;
    }

    public static string UniqueEmail(string fullName)
    {
        var local = new string([.. fullName.Where(char.IsAsciiLetterOrDigit)]).ToLowerInvariant();
        return $"{(local.Length == 0 ? "person" : local)}.{Guid.NewGuid():N}@example.org";
    }
}

/// <summary>One HTTP answer, kept whole so assertions can show it.</summary>
public sealed class ApiResult(HttpMethod method, string path, HttpStatusCode status, byte[] body, string? mediaType, Uri? location)
{
    public HttpMethod Method { get; } = method;

    public string Path { get; } = path;

    public HttpStatusCode Status { get; } = status;

    public ReadOnlyMemory<byte> Bytes { get; } = body;

    public string Text { get; } = Encoding.UTF8.GetString(body);

    public string? MediaType { get; } = mediaType;

    public Uri? Location { get; } = location;

    /// <summary>The response's headers (not the content's), by case-insensitive name.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public JsonElement Json
    {
        get
        {
            try
            {
                using var document = JsonDocument.Parse(Text);
                return document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new Xunit.Sdk.XunitException($"{Describe()} is not JSON ({ex.Message}).");
            }
        }
    }

    public string Describe() => $"{Method} {Path} → {(int)Status} {Status} {MediaType}: {Text}";

    public ApiResult Expect(HttpStatusCode expected)
    {
        Assert.True(Status == expected, $"Expected {(int)expected} {expected} but got {Describe()}");
        return this;
    }

    public JsonElement Ok() => Expect(HttpStatusCode.OK).Json;

    /// <summary>201 with a Location header and the created resource (with its id unless told otherwise).</summary>
    public JsonElement Created(bool requireId = true)
    {
        Expect(HttpStatusCode.Created);
        Assert.True(Location is not null, $"201 without a Location header: {Describe()}");
        var json = Json;
        if (requireId)
        {
            var id = json.ValueKind == JsonValueKind.Object ? json.Prop("id") : default;
            Assert.True(id.ValueKind == JsonValueKind.String, $"201 without a string 'id': {Describe()}");
            Assert.True(Guid.TryParse(id.GetString(), out _), $"The id is not a UUID: {Describe()}");
        }

        return json;
    }
}

public static class JsonElementExtensions
{
    public static string Id(this JsonElement element) => element.Str("id");

    public static string Str(this JsonElement element, string name)
    {
        var value = element.Required(name);
        Assert.True(value.ValueKind == JsonValueKind.String, $"'{name}' is not a string in {element.GetRawText()}");
        return value.GetString()!;
    }

    /// <summary>The property, or an undefined element when it is missing (for lenient checks).</summary>
    public static JsonElement Prop(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    public static JsonElement Required(this JsonElement element, string name)
    {
        var value = element.Prop(name);
        Assert.True(value.ValueKind != JsonValueKind.Undefined, $"No '{name}' in {element.GetRawText()}");
        return value;
    }

    public static List<JsonElement> Items(this JsonElement element)
    {
        Assert.True(element.ValueKind == JsonValueKind.Array, $"Expected a JSON array, got {element.GetRawText()}");
        return [.. element.EnumerateArray()];
    }

    /// <summary>A <c>version</c> as text, whether the server sends it as a number or a string.</summary>
    public static string VersionText(this JsonElement element)
    {
        var version = element.Required("version");
        Assert.True(version.ValueKind is JsonValueKind.String or JsonValueKind.Number, $"'version' is neither a string nor a number: {element.GetRawText()}");
        return version.ValueKind == JsonValueKind.String ? version.GetString()! : version.GetRawText();
    }
}
