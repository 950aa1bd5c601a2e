using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace CommissionPlanner.FaultTests.Infrastructure;

/// <summary>
/// A cluster of real host processes on a private PostgreSQL, run through <c>deploy/local/cluster.sh</c> (silos) and
/// <c>deploy/local/postgres.sh</c> (the database), each test class with a cluster name of its own ("faults-…"),
/// its own ports and a fresh database. Never the "test" cluster that deploy/local/test.sh runs the other tests on.
/// </summary>
public sealed partial class LocalCluster : IAsyncDisposable
{
    public const string AdminKey = "fault-tests-bootstrap-admin-key-0123456789abcdef";

    private static readonly SemaphoreSlim BuildLock = new(1, 1);
    private static bool built;

    private readonly Dictionary<string, string> environment;

    private FileStream? runLock;

    private readonly List<Silo> silos;

    private LocalCluster(string name, Dictionary<string, string> environment, IReadOnlyList<Silo> silos, int pgPort)
    {
        Name = name;
        this.environment = environment;
        this.silos = [.. silos];
        PgPort = pgPort;
    }

    public string Name { get; }

    public IReadOnlyList<Silo> Silos => silos;

    /// <summary>The environment the scripts run with, for starting the host by hand (<c>--migrate-only</c>).</summary>
    public IReadOnlyDictionary<string, string> ScriptEnvironment => environment;

    public int PgPort { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={PgPort};Username=postgres;Database=planner;Pooling=false;Timeout=5";

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The folder this test assembly was built into says which configuration to use for the host.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    public static string HostOutput => Path.Combine(RepoRoot, "src", "CommissionPlanner.Web", "bin", Configuration, "net10.0");

    /// <summary>Wipes the named cluster, starts PostgreSQL and <paramref name="silos"/> host processes, and waits until every one is ready.</summary>
    /// <param name="name">The cluster's name, "faults-…": its folder under .data and its PostgreSQL.</param>
    /// <param name="silos">How many host processes.</param>
    /// <param name="portBase">An offset into the suite's port ranges, different for each test class.</param>
    /// <param name="settings">More environment for the silos (configuration as <c>Planner__Mail__SmtpHost</c>), beside the suite's own.</param>
    public static async Task<LocalCluster> StartAsync(string name, int silos, int portBase, IReadOnlyDictionary<string, string>? settings = null)
    {
        await EnsureBuiltAsync();
        // Two runs of the suite from one checkout (two test.sh at once) would wipe each other's clusters and ports.
        var runLock = await AcquireRunLockAsync();
        try
        {
            var cluster = await StartLockedAsync(name, silos, portBase, settings);
            cluster.runLock = runLock;
            return cluster;
        }
        catch
        {
            await runLock.DisposeAsync();
            throw;
        }
    }

    private static async Task<LocalCluster> StartLockedAsync(string name, int silos, int portBase, IReadOnlyDictionary<string, string>? settings)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PLANNER_CLUSTER_NAME"] = name,
            ["PLANNER_CLUSTER_BUILD"] = "0",
            ["PLANNER_CLUSTER_OUT"] = HostOutput,
            ["PLANNER_CLUSTER_HTTP_PORT"] = (5300 + portBase).ToString(CultureInfo.InvariantCulture),
            ["PLANNER_CLUSTER_SILO_PORT"] = (11300 + portBase).ToString(CultureInfo.InvariantCulture),
            ["PLANNER_CLUSTER_GATEWAY_PORT"] = (30300 + portBase).ToString(CultureInfo.InvariantCulture),
            // Below Linux's ephemeral range (32768–60999): a restarted PostgreSQL must get the same port back,
            // and an outgoing connection of a parallel test project could otherwise be holding it.
            ["PLANNER_CLUSTER_PG_PORT"] = (25700 + portBase).ToString(CultureInfo.InvariantCulture),
            ["PLANNER_CLUSTER_STOP_WAIT"] = "30",
            // Test data only: a crash may lose it.
            ["PG_FSYNC"] = "off",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Planner__BootstrapAdminKey"] = AdminKey,
            ["Planner__RateLimits__ApiPerMinute"] = "1000000",
            ["Planner__Operations__ShutdownTimeoutSeconds"] = "20",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        await RunScriptAsync("cluster.sh", ["wipe"], environment, TimeSpan.FromMinutes(2));
        var output = await RunScriptAsync("cluster.sh", ["start", silos.ToString(CultureInfo.InvariantCulture)], environment, TimeSpan.FromMinutes(4));
        var started = SiloLine().Matches(output)
            .Select(m => new Silo(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), new Uri(m.Groups[2].Value), int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)))
            .ToList();
        Assert.True(started.Count == silos, $"cluster.sh start {silos} printed {started.Count} silos:{Environment.NewLine}{output}");
        var pgPort = int.Parse(await File.ReadAllTextAsync(Path.Combine(RepoRoot, ".data", name, "pg-port")), CultureInfo.InvariantCulture);
        return new LocalCluster(name, environment, started, pgPort);
    }

    public Silo this[int index] => Silos.Single(s => s.Index == index);

    public HttpClient Client(int index) => Client(this[index].Url);

    public static HttpClient Client(Uri baseAddress)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>SIGKILL, as a machine dying would: no shutdown, no goodbye to the cluster.</summary>
    /// <summary>
    /// SIGKILLs silo <paramref name="index"/> and returns once its process is gone: the signal is sent at once, but on a
    /// loaded machine the process can still be there a moment later (seen once: IsRunning true straight after the kill).
    /// </summary>
    public async Task KillSiloAsync(int index)
    {
        await RunScriptAsync("cluster.sh", ["kill", index.ToString(CultureInfo.InvariantCulture)], environment, TimeSpan.FromSeconds(30));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (IsRunning(index) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    /// <summary>Starts silo <paramref name="index"/> again on its ports (a new process), without waiting for it to be ready.</summary>
    public async Task<Silo> RestartSiloAsync(int index)
    {
        var output = await RunScriptAsync("cluster.sh", ["restart", index.ToString(CultureInfo.InvariantCulture)], environment, TimeSpan.FromSeconds(30));
        var line = SiloLine().Match(output);
        Assert.True(line.Success, $"cluster.sh restart {index} printed: {output}");
        var silo = new Silo(index, new Uri(line.Groups[2].Value), int.Parse(line.Groups[3].Value, CultureInfo.InvariantCulture));
        silos[silos.FindIndex(s => s.Index == index)] = silo;
        return silo;
    }

    public bool IsRunning(int index)
    {
        try
        {
            using var process = Process.GetProcessById(this[index].Pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Stops PostgreSQL (fast shutdown: open connections are cut), leaving the silos running.</summary>
    public Task StopPostgresAsync() => RunScriptAsync("postgres.sh", ["stop", Name], environment, TimeSpan.FromMinutes(1));

    /// <summary>Starts PostgreSQL again on the same port the silos' connection strings name.</summary>
    public async Task StartPostgresAsync()
    {
        var port = (await RunScriptAsync("postgres.sh", ["start", Name, PgPort.ToString(CultureInfo.InvariantCulture)], environment, TimeSpan.FromMinutes(1))).Trim();
        Assert.True(port == PgPort.ToString(CultureInfo.InvariantCulture), $"PostgreSQL came back on port {port}, not {PgPort}: the port was taken meanwhile.");
    }

    public async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>The last lines of every silo's log, for failure messages.</summary>
    public string LogTails(int lines = 15)
    {
        var text = new StringBuilder();
        foreach (var silo in Silos)
        {
            var path = Path.Combine(RepoRoot, ".data", Name, $"silo-{silo.Index}.log");
            text.AppendLine(CultureInfo.InvariantCulture, $"--- silo {silo.Index} ({path})");
            if (File.Exists(path))
            {
                foreach (var line in File.ReadLines(path).TakeLast(lines))
                {
                    text.AppendLine(line.Length > 400 ? line[..400] : line);
                }
            }
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        // Stops silos and PostgreSQL; the data and logs stay in .data/NAME for a look after a failure.
        try
        {
            await RunScriptAsync("cluster.sh", ["stop"], environment, TimeSpan.FromMinutes(2));
        }
        catch (Xunit.Sdk.XunitException)
        {
            await RunScriptAsync("postgres.sh", ["stop", Name], environment, TimeSpan.FromMinutes(1));
        }
        finally
        {
            if (runLock is not null)
            {
                await runLock.DisposeAsync();
            }
        }
    }

    /// <summary>An exclusive lock on .data/faults.lock (flock on Linux), held while a cluster of this suite runs.</summary>
    private static async Task<FileStream> AcquireRunLockAsync()
    {
        var path = Path.Combine(RepoRoot, ".data", "faults.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTime.UtcNow.AddMinutes(15);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(1000);
            }
        }
    }

    public static async Task<string> RunScriptAsync(string script, string[] arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepoRoot, "deploy", "local", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{script} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException(
                $"{script} {string.Join(' ', arguments)} exited with {process.ExitCode}:{Environment.NewLine}{output}{Environment.NewLine}{await stderr}");
        }

        return output;
    }

    /// <summary>The host is normally built already (test.sh builds the solution; the project reference orders it first).</summary>
    private static async Task EnsureBuiltAsync()
    {
        await BuildLock.WaitAsync();
        try
        {
            if (built || File.Exists(Path.Combine(HostOutput, "CommissionPlanner.Web.dll")))
            {
                built = true;
                return;
            }

            var start = new ProcessStartInfo("dotnet", ["build", Path.Combine(RepoRoot, "src", "CommissionPlanner.Web"), "-c", Configuration, "-nologo", "-clp:ErrorsOnly"])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"Building the host failed:{Environment.NewLine}{output}");
            built = true;
        }
        finally
        {
            BuildLock.Release();
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CommissionPlanner.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"CommissionPlanner.sln was not found above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^silo (\d+) (\S+) pid (\d+)$", RegexOptions.Multiline)]
    private static partial Regex SiloLine();
}

/// <summary>One host process: its 1-based index in cluster.sh, HTTP URL and pid.</summary>
public sealed record Silo(int Index, Uri Url, int Pid);
