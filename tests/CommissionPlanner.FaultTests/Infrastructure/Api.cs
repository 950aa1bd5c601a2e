using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CommissionPlanner.FaultTests.Infrastructure;

/// <summary>One HTTP answer (or a transport failure, status 0), with when it was asked and through which silo.</summary>
public sealed record Answer(string Request, int Silo, int Status, string Body, string? MediaType, string? RetryAfter, DateTime StartedAt, DateTime EndedAt)
{
    public bool Ok => Status is >= 200 and < 300;

    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
    }

    public string Describe() =>
        $"{Request} via silo {Silo} → {Status} {MediaType}: {(Body.Length > 300 ? Body[..300] : Body)}";
}

/// <summary>The planner's HTTP API through one silo: raw answers, never throwing for a status.</summary>
public sealed class Api(HttpClient http, int silo) : IDisposable
{
    public int Silo { get; } = silo;

    public HttpClient Http { get; } = http;

    public void Dispose() => Http.Dispose();

    public Task<Answer> Get(string path) => Send(HttpMethod.Get, path, null);

    public Task<Answer> Post(string path, object? body) => Send(HttpMethod.Post, path, body);

    public Task<Answer> Patch(string path, object body, string? ifMatch = null) =>
        Send(HttpMethod.Patch, path, body, ifMatch, "application/merge-patch+json");

    /// <summary>A POST with an Idempotency-Key: sent again with the same key, it is applied at most once.</summary>
    public Task<Answer> PostKeyed(string path, object body, string key) => Send(HttpMethod.Post, path, body, idempotencyKey: key);

    public async Task<Answer> Send(
        HttpMethod method, string path, object? body, string? ifMatch = null, string mediaType = "application/json", string? idempotencyKey = null)
    {
        var started = DateTime.UtcNow;
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, mediaType);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{ifMatch}\"");
        }

        try
        {
            using var response = await Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return new Answer($"{method} {path}", Silo, (int)response.StatusCode, text, response.Content.Headers.ContentType?.MediaType,
                response.Headers.RetryAfter?.ToString(), started, DateTime.UtcNow);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new Answer($"{method} {path}", Silo, 0, ex.Message, null, null, started, DateTime.UtcNow);
        }
    }

    /// <summary>A set-up call that must succeed: retried briefly (the cluster may be settling), then asserted.</summary>
    public async Task<JsonElement> Must(HttpMethod method, string path, object? body)
    {
        Answer answer = null!;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            answer = await Send(method, path, body);
            if (answer.Ok)
            {
                return answer.Json;
            }

            if (answer.Status is not (0 or 503))
            {
                break;
            }

            await Task.Delay(500);
        }

        throw new Xunit.Sdk.XunitException($"Set-up call failed: {answer.Describe()}");
    }
}

/// <summary>A programme to write to: a venue, a delegation, people, and one-hour meetings two hours apart.</summary>
public sealed record Plan(string ProgrammeId, string VenueId, string DelegationId, IReadOnlyList<string> People, IReadOnlyList<Meeting> Meetings)
{
    public const string Zone = "Asia/Shanghai";

    public static async Task<Plan> Create(Api api, int people, int meetings, string day = "2025-11-11")
    {
        var programme = (await api.Must(HttpMethod.Post, "/api/programmes", new
        {
            name = "11th UK–China Joint Commission on Science and Technology",
            startDate = "2025-11-10",
            endDate = "2025-11-13",
            timeZone = Zone,
            areas = new[] { "climate-environment", "health" },
        })).GetProperty("id").GetString()!;
        var venue = (await api.Must(HttpMethod.Post, "/api/venues", new
        {
            name = "Diaoyutai State Guesthouse",
            address = "2 Fucheng Road, Haidian District, Beijing 100830",
            city = "Beijing",
            country = "CN",
            timeZone = Zone,
            latitude = 39.9169,
            longitude = 116.3279,
            capacity = 500,
        })).GetProperty("id").GetString()!;
        var delegation = (await api.Must(HttpMethod.Post, $"/api/programmes/{programme}/delegations", new { name = "UK delegation", country = "GB" }))
            .GetProperty("id").GetString()!;
        var ids = new List<string>();
        for (var i = 0; i < people; i++)
        {
            ids.Add((await api.Must(HttpMethod.Post, $"/api/delegations/{delegation}/members", new
            {
                fullName = $"Delegate {i + 1}",
                organisation = "Department for Science, Innovation and Technology",
                title = "Delegate",
                email = $"delegate{i + 1}.{Guid.NewGuid():N}@example.org",
                role = "member",
            })).GetProperty("id").GetString()!);
        }

        var list = new List<Meeting>();
        for (var k = 0; k < meetings; k++)
        {
            var start = DateTime.Parse($"{day}T08:00", CultureInfo.InvariantCulture).AddHours(2 * k);
            list.Add(await CreateMeeting(api, programme, venue, $"Session {k + 1}", start, start.AddHours(1)));
        }

        return new Plan(programme, venue, delegation, ids, list);
    }

    public static async Task<Meeting> CreateMeeting(Api api, string programme, string venue, string title, DateTime start, DateTime end)
    {
        var json = await api.Must(HttpMethod.Post, $"/api/programmes/{programme}/engagements", new
        {
            kind = "meeting",
            title,
            venueId = venue,
            start = Local(start),
            end = Local(end),
        });
        return new Meeting(json.GetProperty("id").GetString()!, start, end);
    }

    public static string Local(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
}

public sealed record Meeting(string Id, DateTime Start, DateTime End);

/// <summary>Just enough iCalendar reading for the checks: each VEVENT's UID and local DTSTART.</summary>
public static class Ics
{
    public static Dictionary<string, string> Events(string calendar)
    {
        var unfolded = calendar.Replace("\r\n ", string.Empty, StringComparison.Ordinal).Replace("\r\n\t", string.Empty, StringComparison.Ordinal);
        var events = new Dictionary<string, string>(StringComparer.Ordinal);
        string? uid = null, start = null;
        foreach (var line in unfolded.Split("\r\n"))
        {
            if (line == "BEGIN:VEVENT")
            {
                uid = start = null;
            }
            else if (line.StartsWith("UID:", StringComparison.Ordinal))
            {
                uid = line[4..].Split('@')[0];
            }
            else if (line.StartsWith("DTSTART", StringComparison.Ordinal))
            {
                start = line[(line.LastIndexOf(':') + 1)..];
            }
            else if (line == "END:VEVENT" && uid is not null)
            {
                events[uid] = start ?? string.Empty;
            }
        }

        return events;
    }

    /// <summary>20251111T083000 for a local 2025-11-11 08:30.</summary>
    public static string Stamp(DateTime local) => local.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
}
