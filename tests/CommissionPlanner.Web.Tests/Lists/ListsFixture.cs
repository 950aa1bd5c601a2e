using System.Collections.Concurrent;
using System.Net.Http.Headers;
using CommissionPlanner.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace CommissionPlanner.Web.Tests.Lists;

/// <summary>
/// The real host on its own database, like <see cref="PlannerFixture"/>, with every log line (Debug and up, message,
/// structured values and exceptions) captured, so tests can show that sensitive logistics never reach a log.
/// </summary>
public sealed class ListsFixture : IAsyncLifetime
{
    private PlannerApp? root;

    public WebApplicationFactory<Program> App { get; private set; } = null!;

    public CapturedLogs Logs { get; } = new();

    public async ValueTask InitializeAsync()
    {
        var connectionString = await TestDatabase.CreateAsync("lists");
        root = new PlannerApp(connectionString, $"test-{Guid.NewGuid():N}");
        // Only this derived host is ever started; it runs the root's configuration first, then adds the capture.
        App = root.WithWebHostBuilder(builder =>
        {
            // Each test builds a whole programme with the admin key (some 40 requests), faster than any person would.
            builder.UseSetting("Planner:RateLimits:ApiPerMinute", "1000000");
            builder.ConfigureLogging(logging =>
            {
                logging.AddProvider(Logs);
                // Rules for this provider win over the configured "Default: Warning" and per-category levels.
                logging.AddFilter<CapturedLogs>(null, LogLevel.Debug);
                logging.AddFilter<CapturedLogs>("Orleans", LogLevel.Information);
            });
        });
        using var client = App.CreateClient();
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        ready.EnsureSuccessStatusCode();
    }

    public HttpClient ClientWithKey(string key)
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient AdminClient() => ClientWithKey(PlannerApp.AdminKey);

    public async ValueTask DisposeAsync()
    {
        if (root is not null)
        {
            // Disposes the derived host too.
            await root.DisposeAsync();
        }

        Logs.Dispose();
    }
}

/// <summary>A logger provider that keeps every line it is given, as text.</summary>
[ProviderAlias("Captured")]
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => [.. lines];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" | ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : string.Empty;
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}
