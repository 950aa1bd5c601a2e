using System.Net;
using System.Text.RegularExpressions;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Ui;

/// <summary>A small JCM programme for the web interface tests: a UK and a Chinese delegation, a plenary with one delegate.</summary>
public sealed record UiWorld(JcmSetup Jcm, string ChinaDelegationId, string Ellery, string Wang, string Plenary)
{
    public const string WangName = "王志刚";

    public static async Task<UiWorld> Create(PlanningClient admin)
    {
        var jcm = await Planning.Jcm.SetUp(admin);
        var china = (await admin.CreateDelegation(jcm.ProgrammeId, "中国代表团 Chinese delegation", "CN")).Id();
        var ellery = await jcm.NewDelegate(admin, "Professor Margaret Ellery");
        var wang = (await admin.AddMember(china, "Wang Zhigang", "head", localName: WangName, organisation: "Ministry of Science and Technology", title: "Minister")).Id();
        var plenary = (await admin.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:00", "Plenary session")).Id();
        await admin.AddAttendee(plenary, ellery);
        return new UiWorld(jcm, china, ellery, wang, plenary);
    }
}

/// <summary>Plain HTTP as a browser would send it: cookies, form posts with the antiforgery token, Accept: text/html.</summary>
public static partial class Browserish
{
    public static HttpClient Client(PlannerApp app)
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        return client;
    }

    public static async Task<string> Token(HttpClient client, string path)
    {
        using var page = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)page.StatusCode}\n{html}");
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, $"No antiforgery token on {path}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static async Task<HttpResponseMessage> Post(HttpClient client, string path, params (string Name, string Value)[] fields) =>
        await client.PostAsync(new Uri(path, UriKind.Relative),
            new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))), TestContext.Current.CancellationToken);

    public static async Task SignIn(HttpClient client, string key)
    {
        var token = await Token(client, "/sign-in");
        using var response = await Post(client, "/sign-in", ("__RequestVerificationToken", token), ("key", key));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
