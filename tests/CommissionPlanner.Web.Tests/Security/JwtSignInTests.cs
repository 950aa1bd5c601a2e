using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CommissionPlanner.Web.Tests.Security;

/// <summary>
/// A host with OpenID Connect sign-in on, trusting tokens signed here with a symmetric key instead of fetching the
/// identity provider's keys (there is no network in tests).
/// </summary>
public sealed class JwtFixture : ConfiguredPlannerFixture
{
    public const string Authority = "https://idp.ministry.example/realms/planner";
    public const string Audience = "commission-planner";

    public static readonly SymmetricSecurityKey SigningKey = new(RandomNumberGenerator.GetBytes(32)) { KeyId = "test-key" };

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Planner:Oidc:Authority"] = Authority,
        ["Planner:Oidc:Audience"] = Audience,
        ["Planner:Oidc:RoleClaim"] = "groups",
        ["Planner:Oidc:RoleMap:ministry-staff"] = "admin",
        ["Planner:Oidc:RoleMap:protocol-office"] = "organiser",
        ["Planner:Oidc:RoleMap:commission-delegates"] = "delegate",
        ["Planner:Oidc:PersonClaim"] = "planner_person",
    };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            // No discovery document: the issuer and key are given here.
            jwt.ConfigurationManager = null;
            jwt.Configuration = null;
            jwt.TokenValidationParameters.ValidIssuer = Authority;
            jwt.TokenValidationParameters.IssuerSigningKey = SigningKey;
        });
}

public sealed class JwtSignInTests(JwtFixture fixture) : IClassFixture<JwtFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_token_with_a_mapped_role_gets_in_with_that_role()
    {
        using var staff = Client(Token("u-100", ["ministry-staff"], name: "Jane Smith"));
        (await staff.Get("/api/keys")).Ok();

        using var organiser = Client(Token("u-200", ["protocol-office", "unrelated-group"], name: "Sam Organiser"));
        var programme = await organiser.CreateProgramme();
        Assert.Equal(HttpStatusCode.Forbidden, (await organiser.Get("/api/keys")).Status);

        // Changes name the user: their name and subject, as API keys are named by their name and id.
        var feed = (await organiser.Post($"/api/programmes/{programme.Id()}/feeds", new { })).Created();
        Assert.Equal("Sam Organiser (user u-200)", feed.Str("createdBy"));
    }

    [Fact]
    public async Task An_unmapped_role_gets_403_on_writes_even_when_it_is_spelled_like_a_planner_role()
    {
        using var client = Client(Token("u-300", ["admin", "organiser", "some-other-group"]));
        var write = await client.TryCreateProgramme(new { name = "Nope", startDate = "2025-11-10", endDate = "2025-11-13", timeZone = "Asia/Shanghai", areas = Jcm.AgreedAreas });
        PlanningAssert.Problem(write, HttpStatusCode.Forbidden);
        PlanningAssert.Problem(await client.Get("/api/keys"), HttpStatusCode.Forbidden);
        PlanningAssert.Problem(await client.Get("/api/programmes"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Expired_wrongly_signed_or_foreign_tokens_get_401_problem_details()
    {
        var now = DateTime.UtcNow;
        var expired = Token("u-100", ["ministry-staff"], notBefore: now.AddHours(-2), expires: now.AddHours(-1));
        var wronglySigned = Token("u-100", ["ministry-staff"], key: new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = "test-key" });
        var otherAudience = Token("u-100", ["ministry-staff"], audience: "someone-else");
        var otherIssuer = Token("u-100", ["ministry-staff"], issuer: "https://idp.elsewhere.example");
        var tampered = Tamper(Token("u-100", ["commission-delegates"]));
        string[] tokens = [expired, wronglySigned, otherAudience, otherIssuer, tampered];
        foreach (var token in tokens)
        {
            using var http = fixture.App.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/programmes", UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, Cancel);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            // Refused by the JWT handler, not mistaken for an unknown API key.
            Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        // Tokens are credentials: none is ever written to the log, not even a refused one.
        fixture.App.Logs.AssertNoneContain([.. tokens.Select(t => t.Split('.')[2])]);
    }

    [Fact]
    public async Task Unsigned_tokens_are_refused()
    {
        var handler = new JsonWebTokenHandler();
        var unsigned = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = JwtFixture.Authority,
            Audience = JwtFixture.Audience,
            Expires = DateTime.UtcNow.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = "u-1", ["groups"] = new[] { "ministry-staff" } },
        });
        // "alg": "none" has an empty signature part; give it one so it still looks like a JWT and reaches the JWT handler.
        using var client = Client(unsigned.TrimEnd('.') + ".AAAA");
        PlanningAssert.Problem(await client.Get("/api/keys"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Api_keys_keep_working_beside_sign_in()
    {
        using var admin = new PlanningClient(fixture.App.ClientWithKey(PlannerApp.AdminKey));
        (await admin.Get("/api/keys")).Ok();
        var viewerKey = await admin.CreateKey("viewer beside oidc", "viewer");
        using var viewer = new PlanningClient(fixture.App.ClientWithKey(viewerKey));
        (await viewer.Get("/api/programmes")).Ok();
        PlanningAssert.Problem(await viewer.Post("/api/keys", new { name = "x", role = "admin" }), HttpStatusCode.Forbidden);
        using var unknown = new PlanningClient(fixture.App.ClientWithKey("cpk_not-a-real-key"));
        PlanningAssert.Problem(await unknown.Get("/api/programmes"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_delegate_signed_in_sees_their_own_itinerary_and_another_persons_is_404()
    {
        using var admin = new PlanningClient(fixture.App.ClientWithKey(PlannerApp.AdminKey));
        var jcm = await Jcm.SetUp(admin);
        var me = await jcm.NewDelegate(admin, "Professor Catherine Oduya");
        var someoneElse = await jcm.NewDelegate(admin, "Professor Rajiv Sandhu");

        using var client = Client(Token("u-400", ["commission-delegates"], person: me));
        Assert.Equal(me, (await client.Get($"/api/people/{me}")).Ok().Id());
        (await client.Get($"/api/people/{me}/itinerary")).Ok();
        PlanningAssert.Problem(await client.Get($"/api/people/{someoneElse}/itinerary"), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await client.Get($"/api/programmes/{jcm.ProgrammeId}"), HttpStatusCode.Forbidden);

        // Without the person claim a delegate is no one: even "their own" record is hidden.
        using var nobody = Client(Token("u-401", ["commission-delegates"]));
        PlanningAssert.Problem(await nobody.Get($"/api/people/{me}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("aaaa.bbbb.cccc")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.bm90LWpzb24.c2lnbmF0dXJl")]
    [InlineData("eyJub3QiOiJhIGhlYWRlciJ9.eyJzdWIiOiJ4In0.c2ln")]
    public async Task A_malformed_token_shaped_like_a_jwt_is_a_401_not_a_503(string token)
    {
        using var client = fixture.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync(new Uri("/api/programmes", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_identity_provider_is_a_503_for_tokens_while_api_keys_keep_working()
    {
        await using var offline = fixture.App.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt => jwt.ConfigurationManager = new UnreachableIdentityProvider())));

        using var withToken = offline.CreateClient();
        withToken.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token("u-100", ["ministry-staff"]));
        using var response = await withToken.GetAsync(new Uri("/api/programmes", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);

        using var withKey = offline.CreateClient();
        withKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PlannerApp.AdminKey);
        using var keyed = await withKey.GetAsync(new Uri("/api/programmes", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
    }

    [Fact]
    public void The_principal_carries_the_same_claims_as_an_api_key_principal()
    {
        var oidc = new OidcOptions { RoleClaim = "groups", PersonClaim = "person" };
        oidc.RoleMap["staff"] = Roles.Admin;
        oidc.RoleMap["delegates"] = Roles.Delegate;
        var person = Guid.NewGuid();
        var token = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim("sub", "abc"), new Claim("name", "Ann Example"), new Claim("groups", "delegates"), new Claim("groups", "admin"),
            new Claim("person", person.ToString()),
        ], "test"));

        var principal = PlannerAuthentication.ToPlannerPrincipal(token, oidc)!;
        Assert.True(principal.Identity!.IsAuthenticated);
        Assert.Equal("Ann Example", principal.Identity.Name);
        Assert.Equal([Roles.Delegate], principal.FindAll(ClaimTypes.Role).Select(c => c.Value));
        Assert.Equal(person, principal.DelegatePersonId());
        Assert.Equal("Ann Example (user abc)", principal.Actor());

        // A staff role outranks delegate.
        var both = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "x"), new Claim("groups", "delegates"), new Claim("groups", "staff")], "test"));
        Assert.Equal([Roles.Admin], PlannerAuthentication.ToPlannerPrincipal(both, oidc)!.FindAll(ClaimTypes.Role).Select(c => c.Value));
        Assert.Equal("x (user x)", PlannerAuthentication.ToPlannerPrincipal(both, oidc)!.Actor());

        Assert.Null(PlannerAuthentication.ToPlannerPrincipal(new ClaimsPrincipal(new ClaimsIdentity([new Claim("groups", "staff")], "test")), oidc));
    }

    [Fact]
    public void A_configuration_that_could_not_work_or_would_grant_unknown_roles_stops_the_start()
    {
        var validator = new OidcOptionsValidator();
        Assert.True(validator.Validate(null, new OidcOptions()).Succeeded);

        var good = new OidcOptions { Authority = "https://idp.example/realms/x", Audience = "planner" };
        good.RoleMap["staff"] = Roles.Admin;
        Assert.True(validator.Validate(null, good).Succeeded);

        var noAudience = new OidcOptions { Authority = "https://idp.example/realms/x" };
        Assert.Contains("Audience", validator.Validate(null, noAudience).FailureMessage, StringComparison.Ordinal);

        var plainHttp = new OidcOptions { Authority = "http://idp.example/realms/x", Audience = "planner" };
        Assert.Contains("https", validator.Validate(null, plainHttp).FailureMessage, StringComparison.Ordinal);
        Assert.True(validator.Validate(null, new OidcOptions { Authority = "http://localhost:8080/realms/x", Audience = "planner", RequireHttpsMetadata = false }).Succeeded);

        var unknownRole = new OidcOptions { Authority = "https://idp.example/realms/x", Audience = "planner" };
        unknownRole.RoleMap["staff"] = "superuser";
        Assert.Contains("superuser", validator.Validate(null, unknownRole).FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", true)]
    [InlineData("bearer aaa.bbb.ccc", true)]
    [InlineData("Bearer cpk_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", false)]
    [InlineData("Bearer aaa.bbb.", false)]
    [InlineData("Bearer aaa..ccc", false)]
    [InlineData("Bearer aaa.bbb.ccc.ddd", false)]
    [InlineData("Bearer aa+a.bbb.ccc", false)]
    [InlineData("Basic aaa.bbb.ccc", false)]
    [InlineData(null, false)]
    public void Only_three_base64url_parts_count_as_a_jwt(string? header, bool jwt) =>
        Assert.Equal(jwt, PlannerAuthentication.LooksLikeJwt(header));

    private PlanningClient Client(string token)
    {
        var http = fixture.App.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new PlanningClient(http);
    }

    private static string Token(
        string subject, string[] groups, string? name = null, string? person = null, string issuer = JwtFixture.Authority,
        string audience = JwtFixture.Audience, DateTime? notBefore = null, DateTime? expires = null, SecurityKey? key = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["groups"] = groups };
        if (name is not null)
        {
            claims["name"] = name;
        }

        if (person is not null)
        {
            claims["planner_person"] = person;
        }

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = notBefore ?? now,
            NotBefore = notBefore ?? now,
            Expires = expires ?? now.AddMinutes(10),
            Claims = claims,
            SigningCredentials = new SigningCredentials(key ?? JwtFixture.SigningKey, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The same token with its payload swapped for one that claims another group: the signature no longer matches.</summary>
    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var forged = Token("u-100", ["ministry-staff"]).Split('.');
        return $"{parts[0]}.{forged[1]}.{parts[2]}";
    }

    private sealed class UnreachableIdentityProvider : IConfigurationManager<OpenIdConnectConfiguration>
    {
        public Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel) =>
            throw new InvalidOperationException("IDX20803: Unable to obtain configuration from the identity provider.");

        public void RequestRefresh()
        {
        }
    }
}
