using NodaTime;

namespace CommissionPlanner.Calendar.Tests.Support;

/// <summary>Events from the 2025 JCM scenario (invented people on example domains).</summary>
internal static class TestData
{
    public static readonly Guid Minister = Guid.Parse("11111111-1111-1111-1111-111111111111");
    public static readonly Guid Academic = Guid.Parse("22222222-2222-2222-2222-222222222222");
    public static readonly Guid Interpreter = Guid.Parse("33333333-3333-3333-3333-333333333333");

    public static readonly Guid PlenaryId = Guid.Parse("a0000000-0000-0000-0000-000000000001");
    public static readonly Guid FlightId = Guid.Parse("a0000000-0000-0000-0000-000000000002");
    public static readonly Guid LondonBeforeId = Guid.Parse("a0000000-0000-0000-0000-000000000003");
    public static readonly Guid LondonAfterId = Guid.Parse("a0000000-0000-0000-0000-000000000004");
    public static readonly Guid CancelledId = Guid.Parse("a0000000-0000-0000-0000-000000000005");

    public static readonly Instant Created = Instant.FromUtc(2025, 9, 1, 8, 0, 0);
    public static readonly Instant Updated = Instant.FromUtc(2025, 10, 2, 14, 30, 15);

    public static readonly FeedPlace GreatHall = new(
        "Great Hall of the People", "人民大会堂", "1 Xichang'an Street, Xicheng District", "Beijing", "CN", 39.9031, 116.3875);

    public static readonly FeedPlace Tsinghua = new(
        "Institute for Carbon Neutrality, Tsinghua University", "清华大学碳中和研究院", "30 Shuangqing Road, Haidian", "Beijing", "CN", 40.0003, 116.3264);

    public static readonly FeedPlace BeijingAirport = new(
        "Beijing Capital International Airport", "北京首都国际机场", "Shunyi District", "Beijing", "CN", 40.0799, 116.6031);

    public static readonly FeedPlace Heathrow = new(
        "London Heathrow Airport", null, "Hounslow TW6 1QG", "London", "GB", 51.4700, -0.4543);

    public static readonly FeedPlace RoyalSociety = new(
        "The Royal Society", null, "6-9 Carlton House Terrace", "London", "GB", 51.5061, -0.1318);

    public static readonly FeedAttendee MinisterAttendee = new(
        Minister, "Alex Morgan", null, "alex.morgan@example.gov.uk", "chair", "accepted");

    public static readonly FeedAttendee AcademicAttendee = new(
        Academic, "Li Na", "李娜", "li.na@example.edu", "required", "tentative");

    public static readonly FeedAttendee InterpreterAttendee = new(
        Interpreter, "Sam Okafor", null, null, "optional", "needs-action");

    public static FeedEvent Plenary() => new(
        PlenaryId, 3, "confirmed", "meeting", "11th UK–China Joint Commission: plenary",
        new LocalDateTime(2025, 11, 11, 10, 0), "Asia/Shanghai", new LocalDateTime(2025, 11, 11, 12, 0), "Asia/Shanghai",
        Created, Updated, "Agenda: opening remarks; four agreed areas", "Ministry of Science and Technology", null, null,
        GreatHall, null, ["health research", "agriculture and food research"],
        [MinisterAttendee, AcademicAttendee, InterpreterAttendee], ReviewPending: false);

    public static FeedEvent Flight() => new(
        FlightId, 1, "confirmed", "travel", "Flight Beijing → London",
        new LocalDateTime(2025, 11, 12, 13, 0), "Asia/Shanghai", new LocalDateTime(2025, 11, 12, 17, 30), "Europe/London",
        Created, Updated, null, null, "flight", "CA937",
        BeijingAirport, Heathrow, [], [MinisterAttendee, AcademicAttendee], ReviewPending: false);

    public static FeedEvent LondonBefore() => new(
        LondonBeforeId, 0, "tentative", "briefing", "Pre-visit briefing",
        new LocalDateTime(2026, 3, 27, 9, 0), "Europe/London", new LocalDateTime(2026, 3, 27, 10, 0), "Europe/London",
        Created, Updated, null, null, null, null, RoyalSociety, null, ["planetary science and astronomy"],
        [MinisterAttendee], ReviewPending: false);

    public static FeedEvent LondonAfter() => new(
        LondonAfterId, 2, "confirmed", "meeting", "Working session",
        new LocalDateTime(2026, 3, 30, 9, 0), "Europe/London", new LocalDateTime(2026, 3, 30, 11, 0), "Europe/London",
        Created, Updated, null, null, null, null, RoyalSociety, null, ["climate change and environmental science"],
        [MinisterAttendee, AcademicAttendee], ReviewPending: false);

    public static FeedEvent Cancelled() => new(
        CancelledId, 5, "cancelled", "site-visit", "Visit: Institute for Carbon Neutrality",
        new LocalDateTime(2025, 11, 11, 15, 0), "Asia/Shanghai", new LocalDateTime(2025, 11, 11, 17, 0), "Asia/Shanghai",
        Created, Updated, null, "Tsinghua University", null, null, Tsinghua, null, [], [MinisterAttendee], ReviewPending: true);

    public static IReadOnlyList<FeedEvent> All() => [LondonAfter(), Flight(), Cancelled(), LondonBefore(), Plenary()];

    public static FeedCalendar Organiser(IReadOnlyList<FeedEvent>? events = null) => new(
        "11th UK–China JCM 2025", "Asia/Shanghai", events ?? All(), FeedDetail.Full,
        ShowAllAttendees: true, OwnerPersonId: null, "JCM Secretariat", "secretariat@example.gov.uk",
        Duration.FromHours(1), id => $"https://planner.example.org/engagements/{id}");

    public static FeedCalendar PersonFeed(Guid owner, IReadOnlyList<FeedEvent>? events = null) => Organiser(events) with
    {
        Name = "My itinerary",
        ShowAllAttendees = false,
        OwnerPersonId = owner,
    };

    public static FeedCalendar BusyFeed(IReadOnlyList<FeedEvent>? events = null) => Organiser(events) with { Detail = FeedDetail.Busy };

    /// <summary>A feed of one event, for tests on a single VEVENT.</summary>
    public static FeedCalendar Single(FeedEvent e) => Organiser([e]);
}
