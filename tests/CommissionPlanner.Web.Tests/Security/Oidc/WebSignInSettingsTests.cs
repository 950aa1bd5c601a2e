using System.Net;
using System.Security.Claims;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CommissionPlanner.Web.Tests.Security.Oidc;

/// <summary>Single sign-on's settings, the principal it makes, and the sign-in page without it.</summary>
public sealed class WebSignInSettingsTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static OidcOptions Configured() => new()
    {
        Authority = "https://idp.ministry.example/realms/planner",
        Audience = "commission-planner",
        ClientId = "commission-planner-web",
        RoleMap = { ["ministry-staff"] = Roles.Admin, ["commission-delegates"] = Roles.Delegate },
    };

    [Fact]
    public void Web_sign_in_settings_that_cannot_work_are_refused_each_with_its_setting_named()
    {
        var validator = new OidcOptionsValidator();
        Assert.True(validator.Validate(null, Configured()).Succeeded);

        var noOpenId = Configured();
        noOpenId.Scope = "profile email";
        Assert.Contains("Planner:Oidc:Scope must include 'openid'", validator.Validate(null, noOpenId).FailureMessage, StringComparison.Ordinal);

        var tooRarely = Configured();
        tooRarely.SessionCheckInterval = TimeSpan.FromHours(2);
        Assert.Contains("Planner:Oidc:SessionCheckInterval", validator.Validate(null, tooRarely).FailureMessage, StringComparison.Ordinal);

        var noEmailClaim = Configured();
        noEmailClaim.EmailClaim = " ";
        Assert.Contains("Planner:Oidc:EmailClaim", validator.Validate(null, noEmailClaim).FailureMessage, StringComparison.Ordinal);

        var secretAlone = Configured();
        secretAlone.ClientId = null;
        secretAlone.ClientSecret = "a secret";
        Assert.Contains("Planner:Oidc:ClientSecret is set without Planner:Oidc:ClientId", validator.Validate(null, secretAlone).FailureMessage, StringComparison.Ordinal);

        var clientAlone = new OidcOptions { ClientId = "commission-planner-web" };
        Assert.Contains("Planner:Oidc:Authority is empty", validator.Validate(null, clientAlone).FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_session_principal_takes_roles_through_the_map_and_no_person_from_an_unverified_address()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        var oidc = Configured();

        // No subject: nobody.
        Assert.Null(await OidcWebSignIn.ToSessionPrincipalAsync(Token(("email", "a@b.example")), oidc, services, TimeProvider.System, Cancel));

        // An address the provider says it has not verified is not used to find a person (no database is asked).
        var unverified = await OidcWebSignIn.ToSessionPrincipalAsync(
            Token(("sub", "u-1"), ("roles", "commission-delegates"), ("email", "wang@most.example"), ("email_verified", "false")),
            oidc, services, TimeProvider.System, Cancel);
        Assert.True(unverified!.IsInRole(Roles.Delegate));
        Assert.Null(unverified.DelegatePersonId());

        // A staff role outranks delegate, and an unmapped value spelled like a planner role counts for nothing.
        var staff = await OidcWebSignIn.ToSessionPrincipalAsync(
            Token(("sub", "u-2"), ("roles", "commission-delegates"), ("roles", "ministry-staff"), ("roles", "organiser"), ("name", "Jane Smith")),
            oidc, services, TimeProvider.System, Cancel);
        Assert.True(staff!.IsInRole(Roles.Admin));
        Assert.False(staff.IsInRole(Roles.Delegate));
        Assert.False(staff.IsInRole(Roles.Organiser));
        Assert.Equal("Jane Smith (user u-2)", staff.Actor());
    }

    [Fact]
    public async Task Without_single_sign_on_the_sign_in_page_offers_only_the_key_form()
    {
        using var browser = Ui.Browserish.Client(fixture.App);
        var page = await browser.GetStringAsync(new Uri("/sign-in", UriKind.Relative), Cancel);
        Assert.Contains("API key", page, StringComparison.Ordinal);
        Assert.DoesNotContain("sign-in-provider", page, StringComparison.Ordinal);
        using var provider = await browser.GetAsync(new Uri("/sign-in?handler=provider", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.NotFound, provider.StatusCode);
        // The provider's callback is not answered either: it gets what any path without a page gets.
        using var callback = await browser.GetAsync(new Uri("/signin-oidc?code=x&state=y", UriKind.Relative), Cancel);
        using var nothing = await browser.GetAsync(new Uri("/no-such-page?code=x&state=y", UriKind.Relative), Cancel);
        Assert.Equal(nothing.StatusCode, callback.StatusCode);
        Assert.Null(callback.Headers.Location);
    }

    private static ClaimsPrincipal Token(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));
}
