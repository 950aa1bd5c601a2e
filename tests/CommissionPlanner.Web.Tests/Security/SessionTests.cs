using System.Net;
using System.Text.RegularExpressions;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommissionPlanner.Web.Tests.Security;

/// <summary>A host whose browser sessions last at most a few seconds, whatever their use.</summary>
public sealed class SessionFixture : ConfiguredPlannerFixture
{
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromSeconds(8);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Planner:Sessions:AbsoluteLifetime"] = AbsoluteLifetime.ToString(),
        ["Planner:RateLimits:ApiPerMinute"] = "100000",
    };

    public string ConnectionString =>
        App.Services.GetRequiredService<IConfiguration>().GetConnectionString("Planner")!;
}

public sealed partial class SessionTests(SessionFixture fixture) : IClassFixture<SessionFixture>
{
    private const string OtherBootstrapKey = "another-bootstrap-admin-key-after-rotation-0123456789";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_bootstrap_key_session_ends_when_the_configured_key_changes_and_a_revoked_keys_sessions_end_on_every_silo()
    {
        // The same planner restarted (a second silo on the same database and data-protection keys) with a rotated bootstrap key.
        await using var rotated = new ConfiguredPlannerApp(fixture.ConnectionString, "Development", new Dictionary<string, string?>
        {
            ["Planner:BootstrapAdminKey"] = OtherBootstrapKey,
            ["Planner:RateLimits:ApiPerMinute"] = "100000",
        }, null);
        using (var warm = rotated.CreateClient())
        {
            (await warm.GetAsync(new Uri("/health/live", UriKind.Relative), Cancel)).EnsureSuccessStatusCode();
        }

        var jar = new CookieContainer();
        using var here = Browser(fixture.App, jar);
        using var there = Browser(rotated, jar);
        await SignInAsync(here, PlannerApp.AdminKey);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(here, "/"));
        // The silo still configured with the key it was made with accepts the cookie; the one with the new key does not.
        Assert.Equal(HttpStatusCode.Redirect, await StatusAsync(there, "/"));

        // A stored key's sessions, on both silos, end when the key is revoked through either.
        using var admin = new PlanningClient(fixture.App.ClientWithKey(PlannerApp.AdminKey));
        var created = (await admin.Post("/api/keys", new { name = "protocol office laptop", role = "organiser" })).Created();
        var hereJar = new CookieContainer();
        var thereJar = new CookieContainer();
        using var laptopHere = Browser(fixture.App, hereJar);
        using var laptopThere = Browser(rotated, thereJar);
        await SignInAsync(laptopHere, created.Str("key"));
        await SignInAsync(laptopThere, created.Str("key"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(laptopHere, "/"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(laptopThere, "/"));
        (await admin.Send(HttpMethod.Delete, $"/api/keys/{created.Id()}")).Expect(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.Redirect, await StatusAsync(laptopHere, "/"));
        Assert.Equal(HttpStatusCode.Redirect, await StatusAsync(laptopThere, "/"));
    }

    [Fact]
    public async Task A_busy_session_still_ends_at_its_absolute_lifetime()
    {
        using var admin = new PlanningClient(fixture.App.ClientWithKey(PlannerApp.AdminKey));
        var key = await admin.CreateKey("press office desk", "viewer");
        using var browser = Browser(fixture.App, new CookieContainer());
        await SignInAsync(browser, key);
        var signedIn = DateTime.UtcNow;
        // In use all along, so the sliding idle timeout (hours) never runs out.
        while (DateTime.UtcNow - signedIn < SessionFixture.AbsoluteLifetime - TimeSpan.FromSeconds(2))
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(browser, "/"));
            await Task.Delay(500, Cancel);
        }

        await Task.Delay(SessionFixture.AbsoluteLifetime - (DateTime.UtcNow - signedIn) + TimeSpan.FromSeconds(1.5), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, await StatusAsync(browser, "/"));
        // Signing in again starts a new session.
        await SignInAsync(browser, key);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(browser, "/"));
    }

    private static HttpClient Browser(ConfiguredPlannerApp app, CookieContainer jar)
    {
        var client = app.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(jar));
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        return client;
    }

    private static async Task SignInAsync(HttpClient browser, string key)
    {
        using var form = await browser.GetAsync(new Uri("/sign-in", UriKind.Relative), Cancel);
        var html = await form.Content.ReadAsStringAsync(Cancel);
        var token = WebUtility.HtmlDecode(TokenPattern().Match(html).Groups[1].Value);
        using var response = await browser.PostAsync(new Uri("/sign-in", UriKind.Relative), new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("key", key)]), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient browser, string path)
    {
        using var response = await browser.GetAsync(new Uri(path, UriKind.Relative), Cancel);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            Assert.StartsWith("/sign-in", response.Headers.Location!.OriginalString.Replace("http://localhost", string.Empty, StringComparison.Ordinal),
                StringComparison.Ordinal);
        }

        return response.StatusCode;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
