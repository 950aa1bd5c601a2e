using System.Diagnostics;

namespace CommissionPlanner.Web.Tests.Security;

/// <summary>The planner started as its operators start it (a process), with a setting that cannot work.</summary>
public sealed class StartupSettingsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "Planner__ForwardedHeaders__KnownProxies__0", "10.0.0.300", "Planner:ForwardedHeaders:KnownProxies:0 is '10.0.0.300', which is not an IP address" },
        { "Planner__ForwardedHeaders__KnownNetworks__0", "10.0.0.0/99", "Planner:ForwardedHeaders:KnownNetworks:0 is '10.0.0.0/99', which is not a network" },
        { "Planner__ForwardedHeaders__ForwardLimit", "two", "Planner:ForwardedHeaders:ForwardLimit" },
        { "Planner__Oidc__ClientId", "commission-planner-web", "Planner:Oidc:ClientId is set but Planner:Oidc:Authority is empty" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_malformed_setting_stops_the_start_with_one_line_naming_it_and_no_stack_trace(string variable, string value, string expected)
    {
        var dll = Path.Combine(NginxLogTests.RepoRoot(), "src", "CommissionPlanner.Web", "bin", "Release", "net10.0", "CommissionPlanner.Web.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution in Release first.");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        // Never reached: the setting is refused first (port 1 refuses at once if it were).
        start.Environment["ConnectionStrings__Planner"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=planner";
        start.Environment["Planner__MigrateOnStart"] = "false";
        start.Environment[variable] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Cancel);
        var stderr = process.StandardError.ReadToEndAsync(Cancel);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var error = (await stderr).Trim();
        var output = await stdout;
        Assert.Equal(3, process.ExitCode);
        Assert.StartsWith("CommissionPlanner cannot start: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
    }
}
