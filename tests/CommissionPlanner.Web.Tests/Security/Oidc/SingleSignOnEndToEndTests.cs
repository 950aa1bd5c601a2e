using System.Globalization;
using System.Net.Http.Headers;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;
using CommissionPlanner.Web.Tests.Ui;
using CommissionPlanner.Web.Security;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace CommissionPlanner.Web.Tests.Security.Oidc;

/// <summary>
/// The planner on a real port with single sign-on through <see cref="TestIdentityProvider"/> (OpenIddict, on another
/// loopback site), sessions re-checked with the provider every two seconds.
/// </summary>
public sealed class SingleSignOnFixture : IAsyncLifetime
{
    public const string ProviderName = "Ministry ID";

    public static readonly IdpUser Organiser = new("u-olivia", "olivia", "olivia-password", "Olivia Organiser", "olivia@protocol.example", ["protocol-office"]);

    public static readonly IdpUser Delegate = new("u-wang", "wang", "wang-password", "Wang Zhigang", "wang.zhigang@most.example", ["commission-delegates"]);

    /// <summary>A delegate whose address two people in the planner share: they must not be taken for either.</summary>
    public static readonly IdpUser Ambiguous = new("u-shared", "shared", "shared-password", "Shared Address", "office@delegation.example", ["commission-delegates"]);

    public TestIdentityProvider Provider { get; private set; } = null!;

    public ConfiguredPlannerApp App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var port = TestDatabase.FreePort();
        BaseAddress = new Uri($"http://localhost:{port.ToString(CultureInfo.InvariantCulture)}");
        Provider = await TestIdentityProvider.StartAsync(BaseAddress, [Organiser, Delegate, Ambiguous]);
        var settings = new Dictionary<string, string?>
        {
            ["Planner:Oidc:Authority"] = Provider.Issuer.ToString(),
            ["Planner:Oidc:Audience"] = "commission-planner-api",
            ["Planner:Oidc:RequireHttpsMetadata"] = "false",
            ["Planner:Oidc:ClientId"] = TestIdentityProvider.ClientId,
            ["Planner:Oidc:ClientSecret"] = TestIdentityProvider.ClientSecret,
            ["Planner:Oidc:ProviderName"] = ProviderName,
            ["Planner:Oidc:Scope"] = "openid profile email offline_access roles",
            ["Planner:Oidc:RoleClaim"] = "role",
            ["Planner:Oidc:RoleMap:protocol-office"] = "organiser",
            ["Planner:Oidc:RoleMap:commission-delegates"] = "delegate",
            ["Planner:Oidc:SessionCheckInterval"] = "00:00:02",
        };
        App = new ConfiguredPlannerApp(await TestDatabase.CreateAsync("sso"), "Development", settings, null);
        App.UseKestrel(port);
        App.StartServer();
        using var client = new HttpClient { BaseAddress = BaseAddress };
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        ready.EnsureSuccessStatusCode();
        // Both sides warmed before the browser's first sign-in: the provider's discovery document and keys, fetched by the
        // planner as its first challenge would (on a busy machine the cold start took most of a navigation's time limit).
        var options = App.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OidcWebSignIn.Scheme);
        var configuration = await options.ConfigurationManager!.GetConfigurationAsync(CancellationToken.None);
        Assert.NotEmpty(configuration.SigningKeys);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

public sealed class SingleSignOnEndToEndTests(SingleSignOnFixture fixture) : IClassFixture<SingleSignOnFixture>
{
    // One test: it ends by taking the provider away.
    [Fact]
    public async Task Staff_and_delegates_sign_in_at_the_provider_see_what_their_role_allows_and_are_signed_out_when_the_provider_revokes_them_or_cannot_be_asked()
    {
        Assert.SkipUnless(File.Exists(KestrelPlannerFixture.Chromium),
            $"{KestrelPlannerFixture.Chromium} is missing: install Debian's chromium (deploy/local/test.sh does so as root).");
        using var admin = new PlanningClient(AdminClient());
        var jcm = await Jcm.SetUp(admin);
        var china = (await admin.CreateDelegation(jcm.ProgrammeId, "中国代表团 Chinese delegation", "CN")).Id();
        var wang = (await admin.AddMember(china, "Wang Zhigang", "head", email: SingleSignOnFixture.Delegate.Email)).Id();
        var ellery = await jcm.NewDelegate(admin, "Professor Margaret Ellery");
        // The shared address: a UK and a Chinese member both list it.
        await admin.AddMember(jcm.DelegationId, "Delegation Office UK", "support", email: SingleSignOnFixture.Ambiguous.Email);
        await admin.AddMember(china, "Delegation Office CN", "support", email: SingleSignOnFixture.Ambiguous.Email);
        var plenary = (await admin.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:00", "Plenary session")).Id();
        await admin.AddAttendee(plenary, wang);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Launch(playwright);

        // An organiser asks for an edit page, is sent to sign in, chooses the provider, logs in there and comes back to it.
        await using var organiserContext = await NewContext(browser);
        var organiser = await organiserContext.NewPageAsync();
        await SignInThroughProvider(organiser, $"/programmes/{jcm.ProgrammeId}/engagements/new", SingleSignOnFixture.Organiser);
        await ArriveAt(organiser, $"**/programmes/{jcm.ProgrammeId}/engagements/new");
        await Assertions.Expect(organiser.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Create engagement" })).ToBeVisibleAsync();
        await Assertions.Expect(organiser.Locator(".who")).ToContainTextAsync("Olivia Organiser (organiser)");
        await organiser.GotoAsync($"/engagements/{plenary}/edit");
        await Assertions.Expect(organiser.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Save changes" })).ToBeVisibleAsync();

        // A delegate is matched to their person by e-mail: the start page is their own itinerary, and staff pages refuse them.
        await using var delegateContext = await NewContext(browser);
        var delegatePage = await delegateContext.NewPageAsync();
        await SignInThroughProvider(delegatePage, "/", SingleSignOnFixture.Delegate);
        await ArriveAt(delegatePage, $"**/people/{wang}");
        await Assertions.Expect(delegatePage.Locator("main")).ToContainTextAsync("Plenary session");
        var staffPage = await delegatePage.GotoAsync($"/programmes/{jcm.ProgrammeId}");
        Assert.Equal(403, staffPage!.Status);
        var editPage = await delegatePage.GotoAsync($"/engagements/{plenary}/edit");
        Assert.Equal(403, editPage!.Status);
        var someoneElse = await delegatePage.GotoAsync($"/people/{ellery}");
        Assert.Equal(404, someoneElse!.Status);

        // An address two people share names neither: signed in as a delegate, they see nobody.
        await using var ambiguousContext = await NewContext(browser);
        var ambiguous = await ambiguousContext.NewPageAsync();
        await SignInThroughProvider(ambiguous, "/sign-out", SingleSignOnFixture.Ambiguous);
        await ArriveAt(ambiguous, "**/sign-out");
        var start = await ambiguous.GotoAsync("/");
        Assert.Equal(403, start!.Status);
        var wangsPage = await ambiguous.GotoAsync($"/people/{wang}");
        Assert.Equal(404, wangsPage!.Status);

        // The provider revokes the delegate (sessions, authorizations, tokens). Within the check interval (two seconds
        // here) the planner asks again, is refused, and sends the browser to sign in; the organiser's session goes on.
        await fixture.Provider.RevokeAsync(SingleSignOnFixture.Delegate.Subject);
        var tokenRequestsBefore = fixture.Provider.TokenRequests;
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
        await delegatePage.GotoAsync($"/people/{wang}");
        await ArriveAt(delegatePage, "**/sign-in?*");
        await Assertions.Expect(delegatePage.Locator("#sign-in-provider")).ToBeVisibleAsync();
        await organiser.GotoAsync($"/programmes/{jcm.ProgrammeId}");
        await Assertions.Expect(organiser.Locator(".who")).ToContainTextAsync("Olivia Organiser");
        Assert.True(fixture.Provider.TokenRequests >= tokenRequestsBefore + 2, "The planner did not ask the provider about both sessions.");

        // Signing in again at the provider is needed: its login session was revoked too.
        await delegatePage.Locator("#sign-in-provider").ClickAsync();
        await ArriveAt(delegatePage, $"{fixture.Provider.Issuer}login**");

        // The organiser signs out: of the planner, and of the provider (its end-session endpoint), then back at sign-in.
        await organiser.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign out" }).ClickAsync();
        await ArriveAt(organiser, "**/sign-in");
        await organiser.GotoAsync($"/programmes/{jcm.ProgrammeId}");
        await ArriveAt(organiser, "**/sign-in?*");
        await organiser.Locator("#sign-in-provider").ClickAsync();
        await ArriveAt(organiser, $"{fixture.Provider.Issuer}login**");

        // A provider that cannot be asked cannot vouch for a session: once the interval has passed, it ends (fails closed).
        await ambiguous.GotoAsync("/sign-out");
        await ArriveAt(ambiguous, "**/sign-out");
        await fixture.Provider.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
        await ambiguous.GotoAsync("/sign-out");
        await ArriveAt(ambiguous, "**/sign-in?*");

        fixture.App.Logs.AssertNoneContain(TestIdentityProvider.ClientSecret);
    }

    /// <summary>From a planner page: sent to sign-in, "Sign in with Ministry ID", the provider's login form, and back.</summary>
    private async Task SignInThroughProvider(IPage page, string path, IdpUser user)
    {
        await page.GotoAsync(path);
        await ArriveAt(page, "**/sign-in?*");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(UiEndToEndTests.Screenshots(), "11-sign-in-with-provider.png") });
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = $"Sign in with {SingleSignOnFixture.ProviderName}" }).ClickAsync();
        await ArriveAt(page, $"{fixture.Provider.Issuer}login**");
        await page.GetByLabel("User name").FillAsync(user.UserName);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Log in" }).ClickAsync();
    }

    private async Task<IBrowserContext> NewContext(IBrowser browser)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = "en-GB",
        });
        // A sign-in is several navigations across two servers; with the whole suite running beside it on two cores, one
        // click has taken longer than Playwright's default 30 seconds.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        return context;
    }

    private HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = fixture.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PlannerApp.AdminKey);
        return client;
    }

    private static Task<IBrowser> Launch(IPlaywright playwright) => UiEndToEndTests.Launch(playwright);

    private static Task ArriveAt(IPage page, string urlPattern) => UiEndToEndTests.ArriveAt(page, urlPattern);
}
