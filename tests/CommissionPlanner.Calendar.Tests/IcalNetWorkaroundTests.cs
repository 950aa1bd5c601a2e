using System.Text;
using CommissionPlanner.Calendar.Tests.Support;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace CommissionPlanner.Calendar.Tests;

/// <summary>
/// One test per Ical.Net 5.2.4 behaviour that FeedRenderer works around (IcalNetWorkarounds, TimeZoneComponents): each
/// shows the behaviour on Ical.Net alone, so that the workaround can go when an Ical.Net release fixes it (the first
/// assertion then fails), and shows the feed is right with it.
/// </summary>
public sealed class IcalNetWorkaroundTests
{
    private static string SerializeAlone(CalendarEvent e) => new EventSerializer().SerializeToString(e)!;

    [Fact]
    public void Ical_Net_splits_a_surrogate_pair_at_the_fold_and_the_feed_keeps_it_whole()
    {
        // "SUMMARY:" and 64 letters are 72 octets: the high surrogate (counted as 3) still fits, the low one does not.
        var title = new string('a', 64) + "😀b";
        var raw = SerializeAlone(new CalendarEvent { Uid = "x", Summary = title });
        Assert.Contains("\uD83D\r\n \uDE00", raw, StringComparison.Ordinal);

        var ics = FeedRenderer.Render(TestData.Single(TestData.Plenary() with { Title = title }));
        Assert.DoesNotContain("\uD83D\r\n", ics, StringComparison.Ordinal);
        Ics.AssertWellFormedBytes(Encoding.UTF8.GetBytes(ics));
        Assert.Equal(title, Ical.Net.Calendar.Load(ics)!.Events.Single().Summary);
    }

    [Fact]
    public void The_fold_repair_touches_only_the_lines_Ical_Net_split()
    {
        var split = SerializeAlone(new CalendarEvent { Uid = "x", Summary = new string('a', 64) + "😀b", Description = new string('d', 200) });
        var repaired = IcalNetWorkarounds.KeepSurrogatePairsWhole(split);
        Assert.NotEqual(split, repaired);
        // The DESCRIPTION lines (no surrogate pair) are Ical.Net's, byte for byte.
        var description = split[split.IndexOf("DESCRIPTION", StringComparison.Ordinal)..split.IndexOf("DTSTAMP", StringComparison.Ordinal)];
        Assert.Contains(description, repaired, StringComparison.Ordinal);
        Assert.Equal(Ics.Unfold(split), Ics.Unfold(repaired));
        var whole = SerializeAlone(new CalendarEvent { Uid = "x", Summary = "no emoji" });
        Assert.Same(whole, IcalNetWorkarounds.KeepSurrogatePairsWhole(whole));
    }

    [Fact]
    public void Ical_Net_writes_control_characters_in_TEXT_raw_and_the_feed_writes_spaces()
    {
        var raw = SerializeAlone(new CalendarEvent { Uid = "x", Summary = "bell\u0007 here" });
        Assert.Contains("bell\u0007 here", raw, StringComparison.Ordinal);

        var ics = FeedRenderer.Render(TestData.Single(TestData.Plenary() with { Title = "bell\u0007 here" }));
        Assert.Equal("bell  here", Ical.Net.Calendar.Load(ics)!.Events.Single().Summary);
    }

    [Fact]
    public void Ical_Net_writes_a_line_break_in_a_parameter_raw_and_the_feed_keeps_the_line_whole()
    {
        var e = new CalendarEvent { Uid = "x" };
        e.Attendees.Add(new Attendee(new Uri("mailto:li.na@example.edu")) { CommonName = "Li Na\r\nX-INJECTED:1" });
        Assert.Contains("\r\nX-INJECTED:1", SerializeAlone(e), StringComparison.Ordinal);

        var attendee = TestData.AcademicAttendee with { FullName = "Li Na\r\nX-INJECTED:1", LocalName = null };
        var ics = FeedRenderer.Render(TestData.Single(TestData.Plenary() with { Attendees = [attendee] }));
        Assert.DoesNotContain(Ics.LogicalLines(ics), l => l.StartsWith("X-INJECTED", StringComparison.Ordinal));
        Assert.Equal("Li Na X-INJECTED:1", Ical.Net.Calendar.Load(ics)!.Events.Single().Attendees.Single().CommonName);
    }

    [Fact]
    public void Ical_Nets_own_VTIMEZONE_for_Shanghai_invents_a_yearly_rule_and_the_feeds_has_none()
    {
        var theirs = new CalendarSerializer().SerializeToString(new Ical.Net.Calendar { TimeZones = { VTimeZone.FromDateTimeZone("Asia/Shanghai") } })!;
        Assert.Contains("RRULE:", theirs, StringComparison.Ordinal);

        var ours = Assert.Single(Ics.Components(FeedRenderer.Render(TestData.Single(TestData.Plenary())), "VTIMEZONE"));
        Assert.DoesNotContain(ours, l => l.StartsWith("RRULE", StringComparison.Ordinal));
    }
}
