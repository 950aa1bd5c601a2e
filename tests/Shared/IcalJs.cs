using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace CommissionPlanner.Tests.IcalValidation;

public sealed record JsAttendee(string Value, string? Cn, string? Role, string? Partstat);

public sealed record JsOrganizer(string Value, string? Cn);

public sealed record JsEvent(
    string Uid, int Sequence, string? Status, string? Summary, string? Location, string? Description, string? Class,
    string? Url, double[]? Geo, string[] Categories, string? StartTzid, string? EndTzid, string StartUtc, string? EndUtc,
    string? Dtstamp, JsOrganizer? Organizer, JsAttendee[] Attendees,
    bool AllDay = false, string? StartDate = null, string? EndDate = null, string? Transparency = null);

public sealed record JsCalendar(
    string? Error, string? Prodid, string? Version, string? Method, string? Calname, string[] Timezones,
    string[] MissingZones, JsEvent[] Events);

/// <summary>
/// Runs tests/ical-validator/validate.mjs (Mozilla's ical.js under node) on rendered bytes. Installs the
/// pinned ical.js with `npm ci` the first time (once per machine: a process-wide lock plus a lock file,
/// since test classes run in parallel).
/// </summary>
internal static class IcalJs
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static volatile bool installed;

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ValidatorDirectory => Path.Combine(RepoRoot, "tests", "ical-validator");

    public static async Task<JsCalendar> ValidateAsync(byte[] ics)
    {
        await EnsureInstalledAsync();
        var (exit, stdout, stderr) = await RunAsync("node", ["validate.mjs"], ics, TimeSpan.FromMinutes(1));
        JsCalendar? result;
        try
        {
            result = JsonSerializer.Deserialize<JsCalendar>(stdout, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"validate.mjs printed no JSON (exit {exit}): {stdout}\n{stderr}", ex);
        }

        Assert.NotNull(result);
        Assert.True(exit == 0 && result.Error is null, $"ical.js rejected the feed (exit {exit}): {result.Error}\n{stderr}");
        return result;
    }

    private static async Task EnsureInstalledAsync()
    {
        if (installed)
        {
            return;
        }

        await InstallLock.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (installed)
            {
                return;
            }

            var marker = Path.Combine(ValidatorDirectory, "node_modules", "ical.js", "package.json");
            if (!File.Exists(marker))
            {
                // Another test process may be installing too: hold a lock file while npm ci runs.
                await using var fileLock = await AcquireFileLockAsync(Path.Combine(ValidatorDirectory, ".npm-ci.lock"));
                if (!File.Exists(marker))
                {
                    var (exit, stdout, stderr) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], null, TimeSpan.FromMinutes(5));
                    Assert.True(exit == 0 && File.Exists(marker), $"`npm ci` in {ValidatorDirectory} failed (exit {exit}):\n{stdout}\n{stderr}");
                }
            }

            installed = true;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(6);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(
        string program, string[] arguments, byte[]? stdin, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = ValidatorDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"`{program}` was not found on PATH. The ical.js validation tests need Node.js (node and npm, v18 or newer): "
                + "install them (e.g. `apt-get install nodejs npm`) and run the tests again.", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                // Raw bytes, exactly as a client would download them (no encoder, no BOM).
                await process.StandardInput.BaseStream.WriteAsync(stdin);
            }

            process.StandardInput.Close();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"`{program} {string.Join(' ', arguments)}` took longer than {timeout}.");
            }

            return (process.ExitCode, await stdout, await stderr);
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

        throw new InvalidOperationException($"No CommissionPlanner.sln above {AppContext.BaseDirectory}.");
    }
}
