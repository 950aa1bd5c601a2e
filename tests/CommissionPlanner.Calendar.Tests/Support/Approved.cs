using System.Runtime.CompilerServices;
using System.Text;

namespace CommissionPlanner.Calendar.Tests.Support;

/// <summary>
/// Feeds as approved, one file per case under <c>Approved/</c> (checked in, compared byte for byte). They were first
/// written when the feeds moved to Ical.Net's serializer and checked then, line for line, against the renderer before it
/// (an Ical.Net object model refolded by hand). A change to what a feed says shows as a diff of these files: review it,
/// then write them again with <c>PLANNER_APPROVE_FEEDS=1 dotnet test tests/CommissionPlanner.Calendar.Tests</c>.
/// </summary>
internal static class Approved
{
    private static readonly bool Approving = Environment.GetEnvironmentVariable("PLANNER_APPROVE_FEEDS") == "1";

    public static void AssertFeed(string caseName, string ics, [CallerFilePath] string caller = "")
    {
        var file = Path.Combine(Path.GetDirectoryName(caller)!, "Approved", Slug(caseName) + ".ics");
        if (Approving)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, Ics.Bytes(ics));
            return;
        }

        Assert.True(File.Exists(file), $"No approved feed for '{caseName}' ({file}); write it with PLANNER_APPROVE_FEEDS=1 and review it.");
        var approved = Encoding.UTF8.GetString(File.ReadAllBytes(file));
        // Logical lines first, for a readable message; then the bytes, folding included.
        Assert.Equal(Ics.LogicalLines(approved), Ics.LogicalLines(ics));
        Assert.Equal(File.ReadAllBytes(file), Ics.Bytes(ics));
    }

    private static string Slug(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        return string.Join('-', builder.ToString().Split('-', StringSplitOptions.RemoveEmptyEntries));
    }
}
