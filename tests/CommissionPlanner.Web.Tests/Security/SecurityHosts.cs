using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using CommissionPlanner.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommissionPlanner.Web.Tests.Security;

/// <summary>
/// The real host like <see cref="PlannerApp"/>, with extra settings (OpenID Connect, small rate limits, another
/// environment), extra services, and every log message kept so tests can check that no secret is ever written.
/// </summary>
public sealed class ConfiguredPlannerApp(
    string connectionString, string environment, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services)
    : WebApplicationFactory<Program>
{
    public CapturedLogs Logs { get; } = new();

    public string ConnectionString { get; } = connectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("ConnectionStrings:Planner", ConnectionString);
        builder.UseSetting("Planner:BootstrapAdminKey", PlannerApp.AdminKey);
        builder.UseSetting("Orleans:ClusterId", $"test-{Guid.NewGuid():N}");
        builder.UseSetting("Orleans:SiloPort", TestDatabase.FreePort().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", "0");
        // Production's levels (appsettings.json), plus everything authentication and rate limiting say.
        builder.UseSetting("Logging:LogLevel:Default", "Information");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Authentication", "Debug");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.RateLimiting", "Debug");
        builder.UseSetting("Logging:LogLevel:CommissionPlanner", "Debug");
        // One render of the feeds' warm-up, not 60: it runs at each of the tests' many starts.
        builder.UseSetting("Planner:Feeds:WarmUpRenders", "1");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<ILoggerProvider>(Logs);
            services?.Invoke(s);
        });
    }

    public HttpClient ClientWithKey(string? key, Uri? baseAddress = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = baseAddress ?? new Uri("http://localhost") });
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }
}

/// <summary>A host of its own, on its own database, shared by the tests of a class.</summary>
public abstract class ConfiguredPlannerFixture : IAsyncLifetime
{
    public ConfiguredPlannerApp App { get; private set; } = null!;

    protected virtual string Environment => "Development";

    protected abstract IReadOnlyDictionary<string, string?> Settings { get; }

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async ValueTask InitializeAsync()
    {
        var connectionString = await TestDatabase.CreateAsync("security");
        App = new ConfiguredPlannerApp(connectionString, Environment, Settings, ConfigureServices);
        using var client = App.CreateClient();
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        live.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Keeps every log message (formatted, with its exception) from every category.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyCollection<string> Messages => _messages;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _messages);

    public void Dispose()
    {
    }

    /// <summary>Fails naming the first message that contains any of the secrets.</summary>
    public void AssertNoneContain(params string[] secrets)
    {
        foreach (var message in _messages)
        {
            foreach (var secret in secrets.Where(s => s.Length > 0))
            {
                Assert.False(message.Contains(secret, StringComparison.Ordinal), $"A log message contains a secret: {message}");
            }
        }
    }

    private sealed class Logger(string category, ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : string.Empty;
            messages.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception}");
        }
    }
}
