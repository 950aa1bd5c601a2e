using System.Globalization;
using System.Text.RegularExpressions;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Ui;

namespace CommissionPlanner.Web.Tests.Ui;

/// <summary>The catalogue that turns the domain's English messages into Chinese for Chinese readers (Ui/Messages.cs).</summary>
public sealed class MessagesTests
{
    [Theory]
    [InlineData("The request is invalid.", "请求无效。")]
    [InlineData("'name' is required.", "'name' 为必填项。")]
    [InlineData("Not found.", "未找到。")]
    public void A_known_message_reads_in_chinese_with_its_values(string english, string chinese)
    {
        Assert.Equal(chinese, InChinese(english));
    }

    [Fact]
    public void Values_carried_by_a_message_land_in_the_chinese_template()
    {
        var translated = InChinese("At most 8 working languages can be recorded.");
        Assert.Contains("8", translated, StringComparison.Ordinal);
        Assert.Matches(@"[\u4e00-\u9fff]", translated);
        Assert.DoesNotContain("working languages", translated, StringComparison.Ordinal);
    }

    [Fact]
    public void English_readers_and_unknown_messages_keep_the_english()
    {
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = UiLanguages.EnglishTexts;
            Assert.Equal("The request is invalid.", Messages.Translate("The request is invalid."));
            CultureInfo.CurrentUICulture = UiLanguages.ChineseTexts;
            Assert.Equal("Something nobody wrote a template for.", Messages.Translate("Something nobody wrote a template for."));
            Assert.Null(Messages.Translate(null));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public void Every_entry_has_the_placeholders_of_its_key_and_chinese_text()
    {
        var file = Path.Combine(Repository.Root(), "src", "CommissionPlanner.Web", "Resources", "Ui", "Messages.zh-Hans.resx");
        var entries = System.Xml.Linq.XDocument.Load(file).Root!.Elements("data")
            .Select(d => ((string)d.Attribute("name")!, (string?)d.Element("value") ?? "")).ToList();
        Assert.True(entries.Count > 300, $"{entries.Count} entries");
        Assert.True(Messages.ChineseCatalogue.Count >= entries.Count - 5, "the compiled catalogue lost entries");
        var problems = new List<string>();
        foreach (var (key, value) in entries)
        {
            var wanted = Regex.Matches(key, @"\{\d+\}").Select(m => m.Value).Order();
            var got = Regex.Matches(value, @"\{\d+\}").Select(m => m.Value).Order();
            if (!wanted.SequenceEqual(got) || !Regex.IsMatch(value, @"[\u4e00-\u9fff]"))
            {
                problems.Add($"\"{key}\" → \"{value}\"");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.Empty(entries.GroupBy(e => e.Item1, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    private static string InChinese(string english)
    {
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = UiLanguages.ChineseTexts;
            return Messages.Translate(english)!;
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
