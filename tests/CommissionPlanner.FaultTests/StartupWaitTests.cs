using System.Diagnostics;
using CommissionPlanner.FaultTests.Infrastructure;

namespace CommissionPlanner.FaultTests;

/// <summary>
/// Two silos; one is killed and PostgreSQL stopped, then that silo is started again, and the deploy step
/// (<c>--migrate-only</c>) run, while the database is still down. Both wait for it (Planner:Operations:DatabaseWaitSeconds)
/// instead of exiting, and go on when it returns: the silo becomes ready and takes writes, the migration step finishes.
/// </summary>
public sealed class StartupWaitTests : IAsyncLifetime
{
    private LocalCluster cluster = null!;

    public async ValueTask InitializeAsync() => cluster = await LocalCluster.StartAsync("faults-start", silos: 2, portBase: 80);

    public async ValueTask DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task A_silo_and_the_migration_step_started_before_postgres_wait_for_it_and_go_on_when_it_returns()
    {
        var output = TestContext.Current.TestOutputHelper;
        using var first = new Api(cluster.Client(1), 1);
        var plan = await Plan.Create(first, people: 2, meetings: 1);

        await cluster.KillSiloAsync(2);
        await cluster.StopPostgresAsync();
        var silo = await cluster.RestartSiloAsync(2);
        var log = Path.Combine(LocalCluster.RepoRoot, ".data", cluster.Name, "silo-2.log");
        var logStart = new FileInfo(log).Length;
        using var migration = StartMigration();
        var migrationOutput = migration.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var migrationErrors = migration.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);

        // Down for a while: the new process stays up, is not ready, and says once per attempt that it waits. The 8 s are
        // counted from its first attempt: on two cores shared with the web tests, starting the process alone took 6 s once.
        var started = Stopwatch.StartNew();
        while (WaitingLines(log, logStart) == 0)
        {
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(60), "The restarted silo made no attempt to reach PostgreSQL within 60 s." + Environment.NewLine + cluster.LogTails());
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(8), TestContext.Current.CancellationToken);
        Assert.True(cluster.IsRunning(2), "The silo started without its database exited instead of waiting." + Environment.NewLine + cluster.LogTails());
        Assert.False(migration.HasExited, "--migrate-only exited instead of waiting: " + (migration.HasExited ? await migrationErrors : string.Empty));
        using var probe = new HttpClient { BaseAddress = silo.Url, Timeout = TimeSpan.FromSeconds(5) };
        Assert.False(await ReadyAsync(probe), "The waiting silo answered ready.");
        // Attempts 1 s, then 2 s, then 4 s apart: the first and those at 1, 3 and 7 s after it.
        var waiting = WaitingLines(log, logStart);
        Assert.True(waiting is >= 3 and <= 6, $"{waiting} waiting lines in 8 s after the first; expected one per attempt (1, 2, 4 s apart).");

        var back = Stopwatch.StartNew();
        await cluster.StartPostgresAsync();
        while (!await ReadyAsync(probe))
        {
            Assert.True(back.Elapsed < TimeSpan.FromSeconds(90), "The silo did not become ready within 90 s of PostgreSQL returning." + Environment.NewLine + cluster.LogTails());
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

        var ready = back.Elapsed;
        await migration.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.True(migration.ExitCode == 0, $"--migrate-only exited with {migration.ExitCode}: {await migrationErrors}{await migrationOutput}");

        // The silo that waited takes writes and serves what the other silo wrote before.
        using var second = new Api(cluster.Client(2), 2);
        await second.Must(HttpMethod.Post, $"/api/engagements/{plan.Meetings[0].Id}/attendees", new { personId = plan.People[0], role = "required" });
        var programme = await second.Must(HttpMethod.Get, $"/api/programmes/{plan.ProgrammeId}", null);
        Assert.Equal(plan.ProgrammeId, programme.GetProperty("id").GetString());
        Assert.Contains("PostgreSQL answered at attempt", ReadFrom(log, logStart), StringComparison.Ordinal);
        output?.WriteLine($"{waiting} waiting lines in 8 s without PostgreSQL; ready {ready.TotalSeconds:F1} s after it was back.");
    }

    private Process StartMigration()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(LocalCluster.HostOutput, "CommissionPlanner.Web.dll"), "--migrate-only"])
        {
            WorkingDirectory = LocalCluster.HostOutput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in cluster.ScriptEnvironment)
        {
            start.Environment[key] = value;
        }

        start.Environment["ConnectionStrings__Planner"] = $"Host=127.0.0.1;Port={cluster.PgPort};Username=postgres;Database=planner";
        return Process.Start(start)!;
    }

    private static async Task<bool> ReadyAsync(HttpClient probe)
    {
        try
        {
            using var response = await probe.GetAsync(new Uri("/health/ready", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static int WaitingLines(string log, long offset) =>
        ReadFrom(log, offset).Split('\n').Count(l => l.Contains("Waiting for PostgreSQL (attempt", StringComparison.Ordinal));

    private static string ReadFrom(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
