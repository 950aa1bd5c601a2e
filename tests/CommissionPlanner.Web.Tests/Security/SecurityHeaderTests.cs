using System.Net;
using CommissionPlanner.Web.Tests.Infrastructure;

namespace CommissionPlanner.Web.Tests.Security;

/// <summary>The host as production runs it (Production environment, migrations on start for the fresh test database).</summary>
public sealed class ProductionFixture : ConfiguredPlannerFixture
{
    protected override string Environment => "Production";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Planner:MigrateOnStart"] = "true",
    };
}

public sealed class SecurityHeaderTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string, string?> Responses => new()
    {
        { "/health/live", null },
        { "/openapi/v1.json", null },
        { "/api/programmes", null },
        { "/api/programmes", PlannerApp.AdminKey },
        { "/api/keys", "cpk_unknown" },
        { $"/api/programmes/{Guid.NewGuid()}", PlannerApp.AdminKey },
        { "/feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics", null },
        { "/reply/not-a-token", null },
        { "/no/such/route", null },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task Every_response_carries_the_security_headers(string path, string? key)
    {
        using var client = fixture.App.ClientWithKey(key);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Cancel);
        AssertSecurityHeaders(response);
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
        // Development: no HSTS (it would pin a developer's browser to HTTPS on localhost).
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Api_answers_are_not_stored_by_caches()
    {
        using var admin = fixture.App.AdminClient();
        using var api = await admin.GetAsync(new Uri("/api/programmes", UriKind.Relative), Cancel);
        Assert.True(api.Headers.CacheControl?.NoStore, api.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_rejected_request_carries_them_too()
    {
        using var client = fixture.App.CreateClient();
        using var body = new StringContent(new string('x', 2 * 1024 * 1024), System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/reply/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", UriKind.Relative), body, Cancel);
        Assert.True((int)response.StatusCode >= 400, response.StatusCode.ToString());
        AssertSecurityHeaders(response);
    }

    internal static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        var permissions = Header(response, "Permissions-Policy");
        Assert.Contains("camera=()", permissions, StringComparison.Ordinal);
        Assert.Contains("geolocation=()", permissions, StringComparison.Ordinal);
        Assert.Contains("microphone=()", permissions, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    internal static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"No {name} header on {(int)response.StatusCode} {response.RequestMessage?.RequestUri}.");
}

public sealed class ProductionHeaderTests(ProductionFixture fixture) : IClassFixture<ProductionFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/health/live", null)]
    [InlineData("/api/programmes", null)]
    [InlineData("/api/programmes", PlannerApp.AdminKey)]
    public async Task Outside_development_https_answers_carry_hsts(string path, string? key)
    {
        using var client = fixture.App.ClientWithKey(key, new Uri("https://planner.ministry.example"));
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Cancel);
        SecurityHeaderTests.AssertSecurityHeaders(response);
        var hsts = SecurityHeaderTests.Header(response, "Strict-Transport-Security");
        Assert.Contains("max-age=31536000", hsts, StringComparison.Ordinal);
        Assert.Contains("includeSubDomains", hsts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_outside_development_show_no_internals()
    {
        using var client = fixture.App.ClientWithKey(PlannerApp.AdminKey, new Uri("https://planner.ministry.example"));
        using var malformed = await client.PostAsync(new Uri("/api/programmes", UriKind.Relative),
            new StringContent("{\"name\": ", System.Text.Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var text = await malformed.Content.ReadAsStringAsync(Cancel);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }
}
