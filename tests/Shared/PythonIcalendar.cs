using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace CommissionPlanner.Tests.IcalValidation;

public sealed record PyAddress(string Value, string? Cn, string? Role, string? Partstat);

public sealed record PyEvent(
    string Uid, int Sequence, string? Status, string? Summary, string? Location, string? Description, string? Class,
    string? Url, string[] Categories, string? StartTzid, string? StartUtc, string? EndUtc, string? StartUtcByFeedZone,
    string? EndUtcByFeedZone, PyAddress? Organizer, PyAddress[] Attendees,
    string? StartDate = null, string? EndDate = null, string? Transparency = null);

public sealed record PyCalendar(
    string? Error, string? Prodid, string? Calname, string? RefreshInterval, string[] Timezones, string[] ZoneErrors, PyEvent[] Events);

/// <summary>
/// Runs tests/Shared/python_icalendar.py (Debian's python3-icalendar, a parser independent of Ical.Net and ical.js) on
/// rendered bytes. deploy/local/test.sh installs the package when it is missing and it runs as root; otherwise the
/// failure says what to install. Debian's own /usr/bin/python3 is used when present, since a python3 earlier on
/// PATH (pyenv, a virtualenv) does not see packages installed with apt.
/// </summary>
internal static class PythonIcalendar
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private static string Script => Path.Combine(IcalJs.RepoRoot, "tests", "Shared", "python_icalendar.py");

    private static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>Parses the feed; fails the test when python-icalendar reports any error.</summary>
    public static async Task<PyCalendar> ParseAsync(byte[] ics)
    {
        var result = await TryParseAsync(ics);
        Assert.True(result.Error is null, $"python-icalendar rejected the feed: {result.Error}");
        Assert.Empty(result.ZoneErrors);
        return result;
    }

    /// <summary>Parses the feed and returns what python-icalendar read, errors included.</summary>
    public static async Task<PyCalendar> TryParseAsync(byte[] ics)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Script);
        start.Environment["PYTHONIOENCODING"] = "utf-8";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                "python3 was not found. The python-icalendar tests need Debian's python3-icalendar: `apt-get install python3-icalendar` "
                + "(deploy/local/test.sh does it when run as root).", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardInput.BaseStream.WriteAsync(ics);
            process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("python_icalendar.py took longer than a minute.");
            }

            var output = await stdout;
            var errors = await stderr;
            if (errors.Contains("No module named 'icalendar'", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"{Python} has no icalendar module: install Debian's python3-icalendar (`apt-get install python3-icalendar`; deploy/local/test.sh does it when run as root).");
            }

            try
            {
                return JsonSerializer.Deserialize<PyCalendar>(output, Json)
                    ?? throw new InvalidOperationException("python_icalendar.py printed null");
            }
            catch (JsonException ex)
            {
                throw new InvalidOperationException($"python_icalendar.py printed no JSON (exit {process.ExitCode}): {output}\n{errors}", ex);
            }
        }
    }
}
