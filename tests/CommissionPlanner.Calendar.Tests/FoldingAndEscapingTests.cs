using System.Text;
using CommissionPlanner.Calendar.Tests.Support;

namespace CommissionPlanner.Calendar.Tests;

public sealed class FoldingAndEscapingTests
{
    public const string LongTitle =
        "第十一届中英科技合作联委会, 全体会议; 张伟 (Zhang Wei) 与 李娜 🇬🇧🇨🇳 讨论气候变化、行星科学、健康研究和农业食品研究 🎉👍🏽👨‍👩‍👧 back\\slash, "
        + "semi;colon \"quoted\" and a second line\nafter the break — 完毕 😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀";

    private static IReadOnlyList<string> OnlyEvent(string ics) => Assert.Single(Ics.Components(ics, "VEVENT"));

    [Fact]
    public void Output_is_CRLF_UTF8_without_BOM_and_folded_at_75_octets()
    {
        var e = TestData.Plenary() with { Title = LongTitle, Description = LongTitle + "\n" + LongTitle };
        var bytes = FeedRenderer.RenderUtf8(TestData.Single(e));
        Ics.AssertWellFormedBytes(bytes);
        Assert.True(Encoding.UTF8.GetString(bytes).Split("\r\n").Any(l => l.StartsWith(' ')), "long lines are folded");
    }

    [Fact]
    public void Render_and_RenderUtf8_agree()
    {
        var calendar = TestData.Organiser();
        Assert.Equal(Encoding.UTF8.GetBytes(FeedRenderer.Render(calendar)), FeedRenderer.RenderUtf8(calendar));
    }

    [Fact]
    public void A_long_Chinese_and_emoji_title_with_commas_and_semicolons_round_trips_exactly()
    {
        var e = TestData.Plenary() with { Title = LongTitle };
        var ics = FeedRenderer.Render(TestData.Single(e));
        Ics.AssertWellFormedBytes(Ics.Bytes(ics));
        var summary = Ics.Value(OnlyEvent(ics), "SUMMARY")!;
        Assert.Contains("\\,", summary, StringComparison.Ordinal);
        Assert.Contains("\\;", summary, StringComparison.Ordinal);
        Assert.Contains("\\\\", summary, StringComparison.Ordinal);
        Assert.Contains("\\n", summary, StringComparison.Ordinal);
        Assert.Equal(LongTitle, Ics.UnescapeText(summary));
    }

    [Theory]
    [InlineData("a,b", "a\\,b")]
    [InlineData("a;b", "a\\;b")]
    [InlineData("a\\b", "a\\\\b")]
    [InlineData("a\nb", "a\\nb")]
    [InlineData("a\r\nb", "a\\nb")]
    [InlineData("a\rb", "a\\nb")]
    [InlineData("a:b\"c", "a:b\"c")]
    [InlineData("bell\u0007x", "bell x")]
    public void Text_is_escaped(string title, string expected)
    {
        var ics = FeedRenderer.Render(TestData.Single(TestData.Plenary() with { Title = title }));
        Assert.Equal(expected, Ics.Value(OnlyEvent(ics), "SUMMARY"));
    }

    [Fact]
    public void A_lone_surrogate_in_input_becomes_a_replacement_character_not_invalid_UTF8()
    {
        var ics = FeedRenderer.Render(TestData.Single(TestData.Plenary() with { Title = "bad \uD83D end" }));
        Ics.AssertWellFormedBytes(Ics.Bytes(ics));
        Assert.Equal("bad \uFFFD end", Ics.Value(OnlyEvent(ics), "SUMMARY"));
    }

    [Fact]
    public void Attendee_names_with_line_breaks_quotes_and_separators_stay_one_valid_parameter()
    {
        var attendee = TestData.AcademicAttendee with { FullName = "Li, Na;\n\"Dr\": 李娜", LocalName = null };
        var e = TestData.Plenary() with { Attendees = [attendee] };
        var ics = FeedRenderer.Render(TestData.Single(e));
        Ics.AssertWellFormedBytes(Ics.Bytes(ics));
        var line = Assert.Single(Ics.Props(OnlyEvent(ics), "ATTENDEE"));
        Assert.Equal("ATTENDEE;CN=\"Li, Na; 'Dr': 李娜\";ROLE=REQ-PARTICIPANT;PARTSTAT=TENTATIVE:mailto:li.na@example.edu", line);
    }

    [Fact]
    public void Calendar_name_is_escaped_too()
    {
        var ics = FeedRenderer.Render(TestData.Organiser([]) with { Name = "JCM, Beijing; 2025" });
        Assert.Contains("X-WR-CALNAME:JCM\\, Beijing\\; 2025", Ics.LogicalLines(ics));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Folding_never_splits_a_character_whatever_its_position(int seed)
    {
        // Random mixes of 1-, 2-, 3- and 4-octet characters, escapes and line breaks, at every offset.
        string[] atoms = ["a", "é", "中", "😀", "👍🏽", ",", ";", "\\", "\n", " ", "\t", ":"];
        var random = new Random(seed);
        for (var round = 0; round < 200; round++)
        {
            var builder = new StringBuilder();
            var count = random.Next(0, 160);
            for (var i = 0; i < count; i++)
            {
                builder.Append(atoms[random.Next(atoms.Length)]);
            }

            var title = builder.ToString();
            var ics = FeedRenderer.Render(TestData.Single(TestData.Plenary() with { Title = title }));
            Ics.AssertWellFormedBytes(Ics.Bytes(ics));
            Assert.Equal(title, Ics.UnescapeText(Ics.Value(OnlyEvent(ics), "SUMMARY")!));
        }
    }

    [Fact]
    public void An_emoji_at_the_fold_point_moves_whole_to_the_next_line()
    {
        // Where Ical.Net 5.2.4 splits the surrogate pair by CRLF + space (IcalNetWorkaroundTests shows it does).
        var ics = FeedRenderer.Render(TestData.Single(TestData.Plenary() with { Title = new string('a', 64) + "😀b" }));
        Ics.AssertWellFormedBytes(Ics.Bytes(ics));
        Assert.Contains("SUMMARY:" + new string('a', 64) + "\r\n 😀b\r\n", ics, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_link_with_a_line_break_is_left_out_rather_than_written()
    {
        var ics = FeedRenderer.Render(TestData.Organiser() with { EventUrl = id => $"https://x.org/{id}\r\nX-INJECTED:1" });
        Assert.DoesNotContain("X-INJECTED", ics, StringComparison.Ordinal);
        Assert.All(Ics.Components(ics, "VEVENT"), e => Assert.Null(Ics.Value(e, "URL")));
    }
}
