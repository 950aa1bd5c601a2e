using System.Net;
using System.Net.Http.Json;
using System.Text;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Lists;

/// <summary>
/// One JCM programme for the list tests:
/// <list type="bullet">
/// <item>Chinese delegation: Li Wei (李伟, vegetarian, step-free access, CN), Zhou Min (周敏, organisation "=cmd|' /C calc'!A0",
/// " vegetarian ", CN), Gao Yan (高燕, nothing recorded); UK delegation: Margaret Ellery (halal, GB).</item>
/// <item>Plenary (Diaoyutai, venue capacity 200): Li, Zhou and Ellery accept, Gao is tentative.</item>
/// <item>Lab visit (site visit at Tsinghua, capacity 1): Li accepts, then Zhou (waiting 1); Ellery declines; Gao has not replied.</item>
/// <item>"@Welcome banquet 欢迎宴会" (reception, nobody invited) and a flight Li is invited to.</item>
/// </list>
/// </summary>
public sealed record ListsScenario(
    JcmSetup Jcm, string ChineseDelegationId, string Li, string Zhou, string Gao, string Ellery,
    string PlenaryId, string LabId, string BanquetId, string FlightId)
{
    public const string FormulaOrganisation = "=cmd|' /C calc'!A0";
    public const string BanquetTitle = "@Welcome banquet 欢迎宴会";
    public const string LabTitle = "Visit to the Institute for Carbon Neutrality";

    public static async Task<ListsScenario> Create(PlanningClient api)
    {
        var jcm = await Planning.Jcm.SetUp(api);
        var chinese = (await api.CreateDelegation(jcm.ProgrammeId, "Chinese delegation", "CN")).Id();
        var li = (await api.AddMember(chinese, "Professor Li Wei", "head", "李伟", "Ministry of Science and Technology", "Vice Minister")).Id();
        var zhou = (await api.AddMember(chinese, "Dr Zhou Min", "member", "周敏", FormulaOrganisation, "Director")).Id();
        var gao = (await api.AddMember(chinese, "Ms Gao Yan", "support", "高燕", "MOST", "Interpreter")).Id();
        var ellery = await jcm.NewDelegate(api, "Professor Margaret Ellery");

        await PutLogistics(api, li, new { dietary = "Vegetarian", accessibility = "Step-free access", interpreterLanguage = "en", nationality = "CN", securityClearance = "cleared" });
        await PutLogistics(api, zhou, new { dietary = " vegetarian ", nationality = "CN" });
        await PutLogistics(api, ellery, new { dietary = "Halal", nationality = "GB", securityClearance = "SC" });

        var plenary = (await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary")).Id();
        var banquet = (await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T19:00", "2025-11-11T21:00", BanquetTitle, "reception")).Id();
        var lab = (await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-12T14:00", "2025-11-12T16:00", LabTitle, "site-visit", capacity: 1)).Id();
        var flight = (await api.CreateTravelLeg(jcm.ProgrammeId, jcm.BeijingAirport, jcm.GuangzhouAirport, "2025-11-13T08:00", "2025-11-13T11:10", "Flight CA1301 to Guangzhou")).Id();

        foreach (var person in new[] { li, zhou, gao, ellery })
        {
            await api.AddAttendee(plenary, person);
            await api.AddAttendee(lab, person);
        }

        await api.AddAttendee(flight, li);
        await api.SetResponse(plenary, li, "accepted");
        await api.SetResponse(plenary, zhou, "accepted");
        await api.SetResponse(plenary, ellery, "accepted");
        await api.SetResponse(plenary, gao, "tentative");
        await api.SetResponse(lab, li, "accepted");
        await api.SetResponse(lab, zhou, "accepted");
        await api.SetResponse(lab, ellery, "declined");
        return new ListsScenario(jcm, chinese, li, zhou, gao, ellery, plenary, lab, banquet, flight);
    }

    public static async Task PutLogistics(PlanningClient api, string personId, object body) =>
        (await api.Send(HttpMethod.Put, $"/api/people/{personId}/logistics", JsonContent.Create(body))).Ok();
}

public static class ListAssert
{
    /// <summary>200 text/csv, UTF-8 with a byte-order mark, RFC 4180 rows of equal width under a header; the rows, header first.</summary>
    public static List<List<string>> Csv(ApiResult result)
    {
        result.Expect(HttpStatusCode.OK);
        Assert.Equal("text/csv", result.MediaType);
        var bytes = result.Bytes.ToArray();
        Assert.True(bytes.Length > 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, $"No UTF-8 byte order mark: {result.Describe()}");
        var rows = Planning.Csv.Parse(new UTF8Encoding(false).GetString(bytes, 3, bytes.Length - 3));
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(rows[0].Count, r.Count));
        // Nothing a spreadsheet would run as a formula.
        Assert.DoesNotContain(rows.SelectMany(r => r), c => c.Length > 0 && "=+-@".Contains(c[0], StringComparison.Ordinal));
        return rows;
    }

    /// <summary>The cell of <paramref name="row"/> under the header named <paramref name="column"/>.</summary>
    public static string Cell(List<List<string>> rows, List<string> row, string column)
    {
        var index = rows[0].IndexOf(column);
        Assert.True(index >= 0, $"No column '{column}' in {string.Join(",", rows[0])}");
        return row[index];
    }

    public static List<string> RowWith(List<List<string>> rows, string value) =>
        rows.Skip(1).SingleOrDefault(r => r.Contains(value)) ?? throw new Xunit.Sdk.XunitException($"No row with '{value}'.");
}
