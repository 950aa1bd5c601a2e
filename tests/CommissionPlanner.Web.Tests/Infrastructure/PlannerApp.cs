using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CommissionPlanner.Web.Tests.Infrastructure;

/// <summary>
/// The real host (silo and API) on a test database. Several instances on the same database form one
/// Orleans cluster, like silos on several machines.
/// </summary>
public sealed class PlannerApp(string connectionString, string clusterId) : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-bootstrap-admin-key-0123456789abcdef";

    public string ConnectionString { get; } = connectionString;

    /// <summary>Settings of this host beyond the tests' defaults (set before the host starts).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Planner", ConnectionString);
        builder.UseSetting("Planner:BootstrapAdminKey", AdminKey);
        builder.UseSetting("Orleans:ClusterId", clusterId);
        builder.UseSetting("Orleans:SiloPort", TestDatabase.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", "0");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Each test class shares one admin key; the rate-limit tests set their own small limits.
        builder.UseSetting("Planner:RateLimits:ApiPerMinute", "100000");
        builder.UseSetting("Planner:Feeds:OrganizerName", "Joint Commission secretariat");
        builder.UseSetting("Planner:Feeds:OrganizerEmail", "secretariat@example.org");
        // One render of the feeds' warm-up, not 60: it runs at each of the tests' many starts.
        builder.UseSetting("Planner:Feeds:WarmUpRenders", "1");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public HttpClient AdminClient() => ClientWithKey(AdminKey);
}

/// <summary>One host on its own database, shared by the tests of a class.</summary>
public sealed class PlannerFixture : IAsyncLifetime
{
    public PlannerApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var connectionString = await TestDatabase.CreateAsync("api");
        App = new PlannerApp(connectionString, $"test-{Guid.NewGuid():N}");
        // Start the host now, so the first test does not pay for migrations and the silo's start.
        using var client = App.CreateClient();
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        ready.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
