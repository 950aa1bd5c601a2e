using System.Text.Json;

namespace CommissionPlanner.Web.Tests.Planning;

/// <summary>
/// The 2025 UK–China Joint Commission as test data: real venues (names, addresses and coordinates as in
/// samples/jcm-2025.json), invented people. Each test creates its own programme and people, so tests in a
/// class can share a host without seeing each other's bookings.
/// </summary>
public static class Jcm
{
    public const string ProgrammeName = "11th UK–China Joint Commission on Science and Technology";

    public static readonly string[] AgreedAreas = ["climate-environment", "planetary-science-astronomy", "health", "agri-food"];

    public static Dictionary<string, object?> Diaoyutai(int? capacity = 200) => Venue(
        "Diaoyutai State Guesthouse", "钓鱼台国宾馆", "2 Fucheng Road, Haidian District, Beijing 100830",
        "Beijing", "CN", "Asia/Shanghai", 39.9169, 116.3279, capacity);

    public static Dictionary<string, object?> Tsinghua() => Venue(
        "Institute for Carbon Neutrality, Tsinghua University", "清华大学碳中和研究院",
        "Tsinghua University, 30 Shuangqing Road, Haidian District, Beijing 100084",
        "Beijing", "CN", "Asia/Shanghai", 40.0008, 116.3264, 40);

    public static Dictionary<string, object?> BeijingAirport() => Venue(
        "Beijing Capital International Airport", "北京首都国际机场", "Capital Airport, Shunyi District, Beijing 100621",
        "Beijing", "CN", "Asia/Shanghai", 40.0801, 116.5845, null);

    public static Dictionary<string, object?> GuangzhouAirport() => Venue(
        "Guangzhou Baiyun International Airport", "广州白云国际机场",
        "Baiyun International Airport, Huadu District, Guangzhou, Guangdong 510470",
        "Guangzhou", "CN", "Asia/Shanghai", 23.3925, 113.2989, null);

    public static Dictionary<string, object?> CcusCentre() => Venue(
        "UK–China (Guangdong) CCUS Centre", "中英（广东）CCUS中心",
        "c/o Guangdong Electric Power Design Institute, 1 Tianfeng Road, Science City, Huangpu District, Guangzhou, Guangdong 510663",
        "Guangzhou", "CN", "Asia/Shanghai", 23.169, 113.452, 30);

    public static Dictionary<string, object?> LancasterHouse() => Venue(
        "Lancaster House", null, "Stable Yard, St James's, London SW1A 1BB",
        "London", "GB", "Europe/London", 51.5039, -0.1384, 120);

    public static Dictionary<string, object?> Venue(
        string name, string? localName, string address, string city, string country, string timeZone,
        double latitude, double longitude, int? capacity) =>
        PlanningClient.Body(
            ("name", name),
            ("localName", localName),
            ("address", address),
            ("city", city),
            ("country", country),
            ("timeZone", timeZone),
            ("latitude", latitude),
            ("longitude", longitude),
            ("capacity", capacity));

    /// <summary>A copy of a venue body with one field replaced (or removed, for null).</summary>
    public static Dictionary<string, object?> With(this Dictionary<string, object?> body, string field, object? value)
    {
        var copy = new Dictionary<string, object?>(body, StringComparer.Ordinal) { [field] = value };
        if (value is null)
        {
            copy.Remove(field);
        }

        return copy;
    }

    /// <summary>A fresh JCM programme with the Beijing and Guangzhou venues and a UK delegation.</summary>
    public static async Task<JcmSetup> SetUp(PlanningClient api)
    {
        var programme = await api.CreateProgramme();
        var delegation = await api.CreateDelegation(programme.Id(), "UK delegation", "GB");
        return new JcmSetup(
            programme.Id(),
            delegation.Id(),
            (await api.CreateVenue(Diaoyutai())).Id(),
            (await api.CreateVenue(Tsinghua())).Id(),
            (await api.CreateVenue(BeijingAirport())).Id(),
            (await api.CreateVenue(GuangzhouAirport())).Id(),
            (await api.CreateVenue(CcusCentre())).Id());
    }
}

public sealed record JcmSetup(
    string ProgrammeId, string DelegationId, string Diaoyutai, string Tsinghua, string BeijingAirport, string GuangzhouAirport, string CcusCentre)
{
    /// <summary>A new UK delegate (a unique e-mail address each time).</summary>
    public async Task<string> NewDelegate(PlanningClient api, string fullName = "Professor Margaret Ellery") =>
        (await api.AddMember(DelegationId, fullName, "member", organisation: "The Royal Society", title: "Foreign Secretary")).Id();
}

public static class PlanningAssert
{
    /// <summary>An RFC 9457 problem with the status, a title, and (for validation) an <c>errors</c> entry naming the field.</summary>
    public static void Problem(ApiResult result, System.Net.HttpStatusCode status, string? field = null)
    {
        result.Expect(status);
        Assert.True(result.MediaType == "application/problem+json", $"Not problem+json: {result.Describe()}");
        var json = result.Json;
        Assert.True(json.TryGetProperty("title", out _), $"A problem without a title: {result.Describe()}");
        if (field is not null)
        {
            Assert.True(NamesField(json, field), $"'errors' does not name '{field}': {result.Describe()}");
        }
    }

    public static bool NamesField(JsonElement problem, string field) =>
        problem.TryGetProperty("errors", out var errors)
        && errors.ValueKind == JsonValueKind.Object
        && errors.EnumerateObject().Any(e => KeyMatches(e.Name, field));

    // Keys may be "venueId", "VenueId" or a JSON path such as "$.venueId"; all name the same field.
    private static bool KeyMatches(string key, string field)
    {
        var name = key.StartsWith("$.", StringComparison.Ordinal) ? key[2..] : key;
        return name.Equals(field, StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("." + field, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A local date-time: ISO 8601 without an offset, equal to <paramref name="expected"/> ("2025-11-11T10:00").</summary>
    public static void LocalTime(string expected, JsonElement actual)
    {
        Assert.True(actual.ValueKind == JsonValueKind.String, $"Not a string: {actual.GetRawText()}");
        var text = actual.GetString()!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", text);
        Assert.Equal(
            DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A UTC instant written with a Z, equal to <paramref name="expected"/>.</summary>
    public static void UtcTime(string expected, JsonElement actual) =>
        Assert.Equal(ParseUtc(expected), ParseUtc(actual));

    public static DateTimeOffset ParseUtc(JsonElement actual)
    {
        Assert.True(actual.ValueKind == JsonValueKind.String, $"Not a string: {actual.GetRawText()}");
        return ParseUtc(actual.GetString()!);
    }

    private static DateTimeOffset ParseUtc(string text)
    {
        Assert.EndsWith("Z", text, StringComparison.Ordinal);
        return DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
    }

    /// <summary>The 409's <c>conflicts</c> mention the engagement (as an id, or inside an object about it).</summary>
    public static void ConflictsName(ApiResult result, string engagementId)
    {
        Problem(result, System.Net.HttpStatusCode.Conflict);
        var json = result.Json;
        Assert.True(json.TryGetProperty("conflicts", out var conflicts), $"A 409 without 'conflicts': {result.Describe()}");
        Assert.True(conflicts.ValueKind == JsonValueKind.Array && conflicts.GetArrayLength() > 0, $"'conflicts' is not a non-empty array: {result.Describe()}");
        Assert.True(conflicts.GetRawText().Contains(engagementId, StringComparison.OrdinalIgnoreCase),
            $"'conflicts' does not name engagement {engagementId}: {result.Describe()}");
    }
}
