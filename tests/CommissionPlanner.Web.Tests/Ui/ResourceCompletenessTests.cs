using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Ui;

namespace CommissionPlanner.Web.Tests.Ui;

/// <summary>
/// Every text the pages look up (<c>L["…"]</c> in a view, a page model or a Ui class) has a Chinese entry in its resource
/// file, compiled into the satellite assembly, with the same placeholders; no resource file holds a key nothing uses.
/// The keys are the English texts, so English needs no file (docs/languages.md).
/// </summary>
public sealed partial class ResourceCompletenessTests
{
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-Hans");

    // L["text"] or L["text", args]: the localiser's name in views, page models and Ui classes (PlannerPageModel's is Shared).
    [GeneratedRegex("""\b(?:L|Shared)\[\s*("(?:[^"\\]|\\.)*")""")]
    private static partial Regex Lookup();

    // A key built at run time cannot be in a resource file.
    [GeneratedRegex("""\b(?:L|Shared)\[\s*(?:\$|@\$|\$@)?"[^"]*\{[^"]*"\s*\+|\b(?:L|Shared)\[\s*\$""")]
    private static partial Regex InterpolatedLookup();

    [GeneratedRegex(@"\{\d+(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[\u3400-\u4dbf\u4e00-\u9fff]")]
    private static partial Regex Han();

    [GeneratedRegex(@"\b[a-z]{3,}\b")]
    private static partial Regex EnglishWord();

    [GeneratedRegex(@"\b(?:public|internal)\s+(?:sealed\s+|static\s+|abstract\s+|partial\s+)*class\s+(\w+)")]
    private static partial Regex ClassName();

    /// <summary>Each source file that looks texts up, with its keys and the resource file they belong in.</summary>
    private static IEnumerable<(string Source, string Resx, string BaseName, HashSet<string> Keys)> Sources()
    {
        var project = WebProject();
        foreach (var file in Directory.EnumerateFiles(project, "*.*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(project, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal)
                || !(file.EndsWith(".cshtml", StringComparison.Ordinal) || file.EndsWith(".cs", StringComparison.Ordinal)))
            {
                continue;
            }

            var text = File.ReadAllText(file);
            var keys = Lookup().Matches(text).Select(m => System.Text.Json.JsonSerializer.Deserialize<string>(m.Groups[1].Value)!).ToHashSet(StringComparer.Ordinal);
            if (keys.Count == 0)
            {
                continue;
            }

            var folder = Path.GetDirectoryName(relative)!.Replace('\\', '/');
            string name;
            if (file.EndsWith(".cshtml", StringComparison.Ordinal))
            {
                name = Path.GetFileNameWithoutExtension(file);
            }
            else
            {
                name = ClassName().Match(text) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException($"{relative}: no class");
            }

            var resx = Path.Combine(project, "Resources", folder, $"{name}.zh-Hans.resx");
            var baseName = $"CommissionPlanner.Web.Resources.{(folder.Length == 0 ? "" : folder.Replace('/', '.') + ".")}{name}";
            yield return (relative, resx, baseName, keys);
        }
    }

    [Fact]
    public void Every_looked_up_text_has_a_chinese_entry_with_the_same_placeholders()
    {
        var problems = new List<string>();
        var sources = Sources().ToList();
        Assert.True(sources.Count > 10, $"only {sources.Count} localised sources found");
        foreach (var (source, resx, _, keys) in sources)
        {
            var entries = Entries(resx);
            foreach (var key in keys.Order(StringComparer.Ordinal))
            {
                if (!entries.TryGetValue(key, out var value) || string.IsNullOrWhiteSpace(value))
                {
                    problems.Add($"{source}: no Chinese for \"{key}\" in {Path.GetFileName(resx)}");
                    continue;
                }

                var wanted = Placeholder().Matches(key).Select(m => m.Value).Order().ToList();
                var got = Placeholder().Matches(value).Select(m => m.Value).Order().ToList();
                if (!wanted.SequenceEqual(got))
                {
                    problems.Add($"{source}: \"{key}\" has placeholders {string.Join(" ", wanted)} but its Chinese has {string.Join(" ", got)}");
                }

                if (EnglishWord().IsMatch(Placeholder().Replace(key, "")) && !Han().IsMatch(value))
                {
                    problems.Add($"{source}: \"{key}\" is not translated (\"{value}\")");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void No_resource_file_keeps_a_text_nothing_looks_up_and_every_file_belongs_to_a_source()
    {
        var project = WebProject();
        var sources = Sources().ToDictionary(s => Path.GetFullPath(s.Resx), s => s.Keys);
        var problems = new List<string>();
        foreach (var resx in Directory.EnumerateFiles(Path.Combine(project, "Resources"), "*.resx", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(project, resx);
            if (!resx.EndsWith(".zh-Hans.resx", StringComparison.Ordinal))
            {
                problems.Add($"{relative}: resource files are .zh-Hans.resx (the keys are the English texts)");
                continue;
            }

            if (Path.GetFileName(resx) == "Messages.zh-Hans.resx")
            {
                // The message catalogue (Ui/Messages.cs) is looked up by whole messages, not L["…"]: MessagesTests check it.
                continue;
            }

            if (!sources.TryGetValue(Path.GetFullPath(resx), out var keys))
            {
                problems.Add($"{relative}: no view or class looks texts up from it");
                continue;
            }

            problems.AddRange(Entries(resx).Keys.Where(k => !keys.Contains(k)).Select(k => $"{relative}: \"{k}\" is not looked up any more"));
            // The resource compiler keeps one of two names that differ only in case ("Reply for {0}", "reply for {0}").
            problems.AddRange(Entries(resx).Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
                .Select(g => $"{relative}: {string.Join(" and ", g.Select(k => $"\"{k}\""))} differ only in case: the build keeps one"));
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Texts_are_looked_up_by_literal_keys_only()
    {
        var project = WebProject();
        var offenders = Directory.EnumerateFiles(project, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => InterpolatedLookup().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(project, f))
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void The_compiled_satellite_assembly_answers_every_key_in_chinese()
    {
        // The files are right (above); this checks the build embeds them under the names the localisers look for.
        var assembly = typeof(UiLanguages).Assembly;
        var missing = new List<string>();
        foreach (var (source, _, baseName, keys) in Sources())
        {
            var manager = new System.Resources.ResourceManager(baseName, assembly);
            foreach (var key in keys)
            {
                var value = manager.GetString(key, Chinese);
                if (value is null || value == key && EnglishWord().IsMatch(key))
                {
                    missing.Add($"{source} ({baseName}): \"{key}\"");
                }
            }
        }

        Assert.True(missing.Count == 0, string.Join('\n', missing));
    }

    [Fact]
    public void A_localiser_made_for_a_class_reads_the_same_files_as_dependency_injection()
    {
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = Chinese;
            Assert.Equal("管理员", RoleNames.Label("admin"));
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-GB");
            Assert.Equal("administrator", RoleNames.Label("admin"));
            Assert.Equal("someone-new", RoleNames.Label("someone-new"));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private static Dictionary<string, string> Entries(string resx) => File.Exists(resx)
        ? XDocument.Load(resx).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal)
        : [];

    private static string WebProject() => Path.Combine(Repository.Root(), "src", "CommissionPlanner.Web");
}
