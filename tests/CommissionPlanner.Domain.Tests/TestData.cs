using NodaTime.Text;

namespace CommissionPlanner.Domain.Tests;

/// <summary>Venues from the 2025 Joint Commission programme, and a way to book slots in local time.</summary>
internal static class TestData
{
    public const string Shanghai = "Asia/Shanghai";
    public const string London = "Europe/London";

    public static readonly Place GreatHall = new(Guid.Parse("00000000-0000-0000-0000-000000000001"), "Beijing", "CN", new GeoPoint(39.9031, 116.3876));
    public static readonly Place Tsinghua = new(Guid.Parse("00000000-0000-0000-0000-000000000002"), "Beijing", "CN", new GeoPoint(40.0003, 116.3262));
    public static readonly Place BeijingCapitalAirport = new(Guid.Parse("00000000-0000-0000-0000-000000000003"), "Beijing", "CN", new GeoPoint(40.0799, 116.6031));
    public static readonly Place BaiyunAirport = new(Guid.Parse("00000000-0000-0000-0000-000000000004"), "Guangzhou", "CN", new GeoPoint(23.3924, 113.2988));
    public static readonly Place CcusCentre = new(Guid.Parse("00000000-0000-0000-0000-000000000005"), "Guangzhou", "CN", new GeoPoint(23.1291, 113.2644));
    public static readonly Place LancasterHouse = new(Guid.Parse("00000000-0000-0000-0000-000000000006"), "London", "GB", new GeoPoint(51.5040, -0.1387));
    public static readonly Place Heathrow = new(Guid.Parse("00000000-0000-0000-0000-000000000007"), "London", "GB", new GeoPoint(51.4700, -0.4543));
    public static readonly Place Oxford = new(Guid.Parse("00000000-0000-0000-0000-000000000008"), "Oxford", "GB", new GeoPoint(51.7520, -1.2577));

    /// <summary>The instant of a local time such as "2025-11-11T10:00" in a zone; fails the test if it is skipped or repeated.</summary>
    public static Instant At(string local, string zoneId)
    {
        var resolution = PlannedTime.Resolve(Local(local), zoneId, DateTimeZoneProviders.Tzdb);
        Assert.True(resolution.Succeeded, resolution.Error);
        return resolution.Instant!.Value;
    }

    public static LocalDateTime Local(string local) => LocalDateTimePattern.GeneralIso.Parse(local + ":00").Value;

    /// <summary>An engagement at one venue, with local start and end in the venue's zone.</summary>
    public static BookedSlot Engagement(string title, Place venue, string start, string end, string zoneId = Shanghai, EngagementKind kind = EngagementKind.Meeting) =>
        BookedSlot.AtVenue(Guid.NewGuid(), title, kind, At(start, zoneId), At(end, zoneId), venue);

    /// <summary>A travel leg that departs at a local time in one zone and arrives at a local time in another.</summary>
    public static BookedSlot Leg(string title, Place from, string departure, string departureZone, Place to, string arrival, string arrivalZone) =>
        new(Guid.NewGuid(), title, EngagementKind.Travel, At(departure, departureZone), At(arrival, arrivalZone), from, to);
}
