namespace CommissionPlanner.Domain.Tests;

public class WireNameTests
{
    [Fact]
    public void Engagement_kinds_use_the_contract_names()
    {
        Assert.Equal(["meeting", "site-visit", "reception", "briefing", "press", "travel"], EngagementKinds.WireNames);
        Assert.Equal("site-visit", EngagementKinds.ToWire(EngagementKind.SiteVisit));
        Assert.True(EngagementKinds.TryParse("site-visit", out var kind));
        Assert.Equal(EngagementKind.SiteVisit, kind);
    }

    [Fact]
    public void Every_enum_round_trips_through_its_wire_names()
    {
        AssertRoundTrips(EngagementKinds.ToWire, (string w, out EngagementKind v) => EngagementKinds.TryParse(w, out v));
        AssertRoundTrips(ClashKinds.ToWire, (string w, out ClashKind v) => ClashKinds.TryParse(w, out v));
        AssertRoundTrips(Responses.ToWire, (string w, out Response v) => Responses.TryParse(w, out v));
        AssertRoundTrips(Attendances.ToWire, (string w, out Attendance v) => Attendances.TryParse(w, out v));
        AssertRoundTrips(DelegateRoles.ToWire, (string w, out DelegateRole v) => DelegateRoles.TryParse(w, out v));
        AssertRoundTrips(AttendeeRoles.ToWire, (string w, out AttendeeRole v) => AttendeeRoles.TryParse(w, out v));
        AssertRoundTrips(TravelModes.ToWire, (string w, out TravelMode v) => TravelModes.TryParse(w, out v));
        AssertRoundTrips(EngagementStatuses.ToWire, (string w, out EngagementStatus v) => EngagementStatuses.TryParse(w, out v));
        AssertRoundTrips(ReviewStatuses.ToWire, (string w, out ReviewStatus v) => ReviewStatuses.TryParse(w, out v));
    }

    [Fact]
    public void The_hyphenated_wire_names_match_the_contract()
    {
        Assert.Equal("needs-action", Responses.ToWire(Response.NeedsAction));
        Assert.Equal("not-attending", Attendances.ToWire(Attendance.NotAttending));
        Assert.Equal("not-required", ReviewStatuses.ToWire(ReviewStatus.NotRequired));
        Assert.Equal("overlap", ClashKinds.ToWire(ClashKind.Overlap));
        Assert.Equal("travel", ClashKinds.ToWire(ClashKind.Travel));
        Assert.Equal("interpreter", ClashKinds.ToWire(ClashKind.Interpreter));
        Assert.Equal(["head", "member", "official", "support"], DelegateRoles.WireNames);
        Assert.Equal(["chair", "required", "optional"], AttendeeRoles.WireNames);
        Assert.Equal(["flight", "train", "car", "other"], TravelModes.WireNames);
        Assert.Equal(["tentative", "confirmed", "cancelled"], EngagementStatuses.WireNames);
        Assert.Equal(["needs-action", "accepted", "declined", "tentative"], Responses.WireNames);
        Assert.Equal(["attending", "waiting", "not-attending"], Attendances.WireNames);
        Assert.Equal(["not-required", "required", "approved", "rejected"], ReviewStatuses.WireNames);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Meeting")]
    [InlineData("SiteVisit")]
    [InlineData("site_visit")]
    [InlineData(" meeting")]
    [InlineData("0")]
    public void Parsing_accepts_only_the_exact_lower_case_names(string? wire)
    {
        Assert.False(EngagementKinds.TryParse(wire, out var kind));
        Assert.Equal(default, kind);
    }

    [Fact]
    public void An_undefined_enum_value_has_no_wire_name() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TravelModes.ToWire((TravelMode)42));

    private delegate bool TryParse<T>(string wire, out T value);

    private static void AssertRoundTrips<T>(Func<T, string> toWire, TryParse<T> tryParse)
        where T : struct, Enum
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in Enum.GetValues<T>())
        {
            var wire = toWire(value);
            Assert.Matches("^[a-z]+(-[a-z]+)*$", wire);
            Assert.True(names.Add(wire), $"{wire} is used twice");
            Assert.True(tryParse(wire, out var parsed));
            Assert.Equal(value, parsed);
        }
    }
}
