using System.Text;
using CommissionPlanner.Calendar.Tests.Support;
using NodaTime;

namespace CommissionPlanner.Calendar.Tests;

/// <summary>
/// <see cref="FeedRenderer"/> writes its content lines itself; <see cref="IcalNetReferenceRenderer"/> is the
/// renderer it replaced (Ical.Net's serializer plus our folding). For the same input both must give the same bytes.
/// </summary>
public sealed class FeedRendererReferenceTests
{
    private static readonly Dictionary<string, Func<FeedCalendar>> Cases = new()
    {
        ["organiser feed, full detail, every attendee"] = () => TestData.Organiser(),
        ["busy feed"] = () => TestData.BusyFeed(),
        ["person feed: only the owner's attendee line"] = () => TestData.PersonFeed(TestData.Academic),
        ["person feed of someone on no event"] = () => TestData.PersonFeed(Guid.Parse("44444444-4444-4444-4444-444444444444")),
        ["neither organiser nor personal: no attendees"] = () => TestData.Organiser() with { ShowAllAttendees = false, OwnerPersonId = null },
        ["no organiser"] = () => TestData.Organiser() with { OrganizerName = null, OrganizerEmail = null },
        ["organiser without a name"] = () => TestData.Organiser() with { OrganizerName = " \n " },
        ["no event URLs"] = () => TestData.Organiser() with { EventUrl = null },
        ["event URLs without a path, with odd characters, padded"] = () => TestData.Organiser() with
        {
            EventUrl = id => id == TestData.PlenaryId ? "http://Planner.example" : id == TestData.FlightId ? "https://x.org/a b,c;d\\e?q=é&r=%41" : $"  https://x.org/{id}  ",
        },
        ["empty feed"] = () => TestData.Organiser([]),
        ["empty busy feed with an empty name"] = () => TestData.BusyFeed([]) with { Name = "" },
        ["refresh every 15 minutes"] = () => TestData.Organiser() with { RefreshInterval = Duration.FromMinutes(15) },
        ["refresh every 1 day 1 hour 1 minute 1.7 seconds"] = () => TestData.Organiser([]) with { RefreshInterval = Duration.FromSeconds(90061.7) },
        ["refresh every hour and 5 seconds"] = () => TestData.Organiser([]) with { RefreshInterval = Duration.FromSeconds(3605) },
        ["refresh every day"] = () => TestData.Organiser([]) with { RefreshInterval = Duration.FromDays(1) },
        ["travel London to Shanghai"] = () => TestData.Organiser([LondonToBeijing()]),
        ["travel London to Shanghai, busy"] = () => TestData.BusyFeed([LondonToBeijing(), TestData.Flight()]),
        ["DST change inside the range"] = () => TestData.Organiser([TestData.LondonBefore(), TestData.LondonAfter()]),
        ["Asia/Shanghai only, no DST"] = () => TestData.Organiser([TestData.Plenary(), TestData.Cancelled()]),
        ["every status and pending review"] = () => TestData.Organiser(Statuses()),
        ["every role and response"] = () => TestData.Organiser([TestData.Plenary() with { Attendees = Attendees() }]),
        ["zones with rules, RDATEs, UNTIL and local mean time"] = () => TestData.Organiser(Zones()),
        ["zones with rules, busy"] = () => TestData.BusyFeed(Zones()),
        ["sub-second timestamps and negative coordinates"] = () => TestData.Organiser([TestData.LondonAfter() with
        {
            CreatedAt = Instant.FromUtc(2025, 9, 1, 8, 0, 0).PlusNanoseconds(999_999_999),
            UpdatedAt = Instant.FromUtc(2025, 10, 2, 14, 30, 15).PlusNanoseconds(500_000_000),
            Place = TestData.RoyalSociety with { Latitude = -33.8688, Longitude = -0.0000001 },
        }]),
        ["long Chinese and emoji title and description"] = () => TestData.Single(TestData.Plenary() with
        {
            Title = FoldingAndEscapingTests.LongTitle,
            Description = FoldingAndEscapingTests.LongTitle + "\n" + FoldingAndEscapingTests.LongTitle,
        }),
        ["coordinates with a seventh decimal of 5"] = () => TestData.Single(TestData.Plenary() with
        {
            Place = TestData.GreatHall with { Latitude = 51.5040005, Longitude = 0.1234565 },
        }),
        ["an emoji and escapes at every fold position"] = () => TestData.Organiser([.. Enumerable.Range(0, 80).Select(pad => TestData.Plenary() with
        {
            EngagementId = new Guid(pad, 6, 6, new byte[8]),
            Title = new string('x', pad) + "😀\\,;中é\n👍🏽",
        })]),
        ["awkward text in every field"] = () => Awkward(FeedDetail.Full),
        ["awkward text in every field, busy"] = () => Awkward(FeedDetail.Busy),
        ["empty and blank values"] = () => TestData.Organiser([TestData.Plenary() with
        {
            Title = "",
            Kind = "",
            Areas = ["", " ", "\n"],
            Description = " ",
            Host = "",
            Place = TestData.GreatHall with { Name = "", LocalName = " ", Address = "" },
            Attendees = [TestData.AcademicAttendee with { FullName = "", LocalName = "" }],
        }]) with { Name = "\n" },
        ["the benchmark's person feed"] = () => Generated(60, attendeesPerEvent: 1, organiser: false),
        ["the benchmark's organiser feed, 200 events"] = () => Generated(200, attendeesPerEvent: 10, organiser: true),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Output_is_byte_identical_to_the_Ical_Net_reference(string name)
    {
        var calendar = Cases[name]();
        var reference = IcalNetReferenceRenderer.Render(calendar);
        Assert.Equal(reference, FeedRenderer.Render(calendar));
        Assert.Equal(Ics.Bytes(reference), FeedRenderer.RenderUtf8(calendar));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Random_text_at_every_fold_point_is_byte_identical_to_the_reference(int seed)
    {
        // Every text field gets random mixes of 1- to 4-octet characters, escapes, line breaks, controls,
        // quotes and lone surrogates, so that escapes and characters land on every fold position.
        string[] atoms =
        [
            "a", "n", "N", "é", "中", "😀", "👍🏽", ",", ";", ":", "\\", "\"", "'", "\n", "\r", "\r\n", " ", "\t",
            "\u0007", "\u0000", "\u0085", "\u00A0", "\u3000", "\uD83D", "\uDE00", "=",
        ];
        var random = new Random(seed);
        string Text(int max)
        {
            var builder = new StringBuilder();
            var count = random.Next(0, max);
            for (var i = 0; i < count; i++)
            {
                builder.Append(atoms[random.Next(atoms.Length)]);
            }

            return builder.ToString();
        }

        string? Maybe(int max) => random.Next(4) == 0 ? null : Text(max);

        for (var round = 0; round < 40; round++)
        {
            var events = Enumerable.Range(0, 5).Select(i => TestData.Plenary() with
            {
                EngagementId = new Guid((round * 10) + i, 7, 7, new byte[8]),
                Title = Text(120),
                Kind = Text(10),
                Areas = [.. Enumerable.Range(0, random.Next(3)).Select(_ => Text(30))],
                Description = Maybe(200),
                Host = Maybe(40),
                TravelMode = Maybe(10),
                TravelReference = Maybe(10),
                Place = new FeedPlace(Text(60), Maybe(20), Text(60), Text(20), "GB", 51.5, -0.12),
                Destination = random.Next(3) == 0 ? new FeedPlace(Text(40), Maybe(10), Text(40), Text(20), "CN", 39.9, 116.4) : null,
                Attendees = [.. Attendees().Select(a => a with { FullName = Text(50), LocalName = Maybe(20) })],
                Status = i == 0 ? "cancelled" : "confirmed",
                ReviewPending = i == 1,
            }).ToList();
            var calendar = TestData.Organiser(events) with
            {
                Name = Text(80),
                OrganizerName = Text(60),
                Detail = random.Next(4) == 0 ? FeedDetail.Busy : FeedDetail.Full,
            };

            var reference = IcalNetReferenceRenderer.Render(calendar);
            Assert.Equal(reference, FeedRenderer.Render(calendar));
            Assert.Equal(Ics.Bytes(reference), FeedRenderer.RenderUtf8(calendar));
        }
    }

    public static TheoryData<string, string> RefusedInputs => new()
    {
        { "unknown zone", nameof(ArgumentException) },
        { "unknown status", nameof(ArgumentException) },
        { "unknown role", nameof(ArgumentException) },
        { "unknown response", nameof(ArgumentException) },
        { "zero refresh interval", nameof(ArgumentOutOfRangeException) },
        { "attendee address that is not a URI", nameof(ArgumentException) },
        { "event URL that is not a URI", nameof(UriFormatException) },
        { "line break in an event URL", nameof(InvalidOperationException) },
    };

    [Theory]
    [MemberData(nameof(RefusedInputs))]
    public void Both_refuse_the_same_inputs(string input, string exception)
    {
        var calendar = input switch
        {
            "unknown zone" => TestData.Single(TestData.Plenary() with { EndZone = "Mars/Olympus" }),
            "unknown status" => TestData.Single(TestData.Plenary() with { Status = "maybe" }),
            "unknown role" => TestData.Single(TestData.Plenary() with { Attendees = [TestData.MinisterAttendee with { Role = "guest" }] }),
            "unknown response" => TestData.Single(TestData.Plenary() with { Attendees = [TestData.MinisterAttendee with { Response = "perhaps" }] }),
            "zero refresh interval" => TestData.Organiser([]) with { RefreshInterval = Duration.Zero },
            "attendee address that is not a URI" => TestData.Single(TestData.Plenary() with { Attendees = [TestData.MinisterAttendee with { Email = "alex morgan@example.org" }] }),
            "event URL that is not a URI" => TestData.Organiser() with { EventUrl = _ => "not a link" },
            "line break in an event URL" => TestData.Organiser() with { EventUrl = id => $"https://x.org/{id}\nX-INJECTED:1" },
            _ => throw new ArgumentOutOfRangeException(nameof(input)),
        };

        Assert.Equal(exception, Record.Exception(() => IcalNetReferenceRenderer.Render(calendar))?.GetType().Name);
        Assert.Equal(exception, Record.Exception(() => FeedRenderer.Render(calendar))?.GetType().Name);
        Assert.Equal(exception, Record.Exception(() => FeedRenderer.RenderUtf8(calendar))?.GetType().Name);
    }

    // Accepted differences, on inputs the planner does not produce (a programme's zone is an IANA id, the organiser
    // address comes from configuration, event links from the base URL and an id): where the reference wrote a
    // broken or altered line, the writer writes a valid one or refuses.

    [Fact]
    public void Control_characters_in_any_TEXT_value_become_spaces_where_the_reference_wrote_them_raw()
    {
        // Ical.Net escaped X-WR-TIMEZONE and the ORGANIZER address without our cleaning: a raw control character
        // made a line that Ical.Net's own parser refuses. The writer cleans every TEXT value alike.
        var calendar = TestData.Single(TestData.Plenary()) with { DefaultTimeZone = "Europe/London\u0007", OrganizerEmail = "a\u0007b@example.org" };
        Assert.ThrowsAny<Exception>(() => Ical.Net.Calendar.Load(IcalNetReferenceRenderer.Render(calendar)));

        var parsed = Ical.Net.Calendar.Load(FeedRenderer.Render(calendar))!;
        Assert.Equal("Europe/London ", parsed.Properties["X-WR-TIMEZONE"]!.Value);
        Assert.Equal("mailto:a b@example.org", parsed.Events.Single().Organizer!.Value!.OriginalString);
    }

    [Fact]
    public void An_organiser_address_with_backslashes_is_written_as_given_where_the_reference_altered_it()
    {
        // Ical.Net's Organizer(string) reads its argument as escaped iCalendar text: the reference turned "\n"
        // into a line break and "\," into a comma. The writer escapes the address as given.
        const string address = @"a\nb\,c@example.org";
        var calendar = TestData.Single(TestData.Plenary()) with { OrganizerEmail = address };
        var reference = Assert.Single(Ics.Components(IcalNetReferenceRenderer.Render(calendar), "VEVENT"));
        Assert.Equal("mailto:a\nb,c@example.org", Ics.UnescapeText(Ics.Value(reference, "ORGANIZER")!));

        var written = Assert.Single(Ics.Components(FeedRenderer.Render(calendar), "VEVENT"));
        Assert.Equal("mailto:" + address, Ics.UnescapeText(Ics.Value(written, "ORGANIZER")!));
    }

    [Fact]
    public void A_folded_line_break_in_an_event_URL_is_refused_where_the_reference_joined_it()
    {
        // The reference unfolded Ical.Net's output before folding it again, so CRLF + space inside a raw value
        // vanished and the link changed silently; the writer refuses any line break in a raw value.
        var calendar = TestData.Single(TestData.Plenary()) with { EventUrl = _ => "https://example.org/a\r\n b" };
        var reference = Assert.Single(Ics.Components(IcalNetReferenceRenderer.Render(calendar), "VEVENT"));
        Assert.Equal("https://example.org/ab", Ics.Value(reference, "URL"));

        Assert.Throws<InvalidOperationException>(() => FeedRenderer.Render(calendar));
    }

    private static FeedEvent LondonToBeijing() => TestData.Flight() with
    {
        EngagementId = Guid.Parse("a0000000-0000-0000-0000-000000000006"),
        Title = "Flight London → Beijing",
        StartLocal = new LocalDateTime(2026, 3, 28, 21, 0),
        StartZone = "Europe/London",
        EndLocal = new LocalDateTime(2026, 3, 29, 16, 30),
        EndZone = "Asia/Shanghai",
        Place = TestData.Heathrow,
        Destination = TestData.BeijingAirport,
        TravelReference = "CA938",
    };

    private static List<FeedEvent> Statuses()
    {
        var events = new List<FeedEvent>();
        var index = 0;
        foreach (var status in new[] { "tentative", "confirmed", "cancelled", "canceled", " Confirmed " })
        {
            foreach (var reviewPending in new[] { false, true })
            {
                events.Add(TestData.LondonAfter() with
                {
                    EngagementId = new Guid(index, 1, 1, new byte[8]),
                    StartLocal = new LocalDateTime(2026, 4, 1, 8, 0).PlusHours(index++),
                    EndLocal = new LocalDateTime(2026, 4, 1, 9, 0).PlusHours(index),
                    Status = status,
                    ReviewPending = reviewPending,
                });
            }
        }

        return events;
    }

    private static List<FeedAttendee> Attendees()
    {
        var attendees = new List<FeedAttendee>();
        var index = 0;
        foreach (var role in new[] { "chair", "required", "optional" })
        {
            foreach (var response in new[] { "needs-action", "NeedsAction", "needs_action", "accepted", "declined", "tentative" })
            {
                attendees.Add(new FeedAttendee(
                    new Guid(index, 2, 2, new byte[8]), $"Person {index}", index % 2 == 0 ? "人" : null,
                    index % 3 == 0 ? null : $" p{index},x;y@example.org ", role, response));
                index++;
            }
        }

        return attendees;
    }

    private static List<FeedEvent> Zones()
    {
        string[] zones =
        [
            "Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo", "Europe/Moscow",
            "Etc/GMT-3", "Pacific/Chatham", "Asia/Tehran",
        ];
        LocalDate[] dates = [new(2008, 1, 10), new(2011, 6, 1), new(2015, 1, 10), new(2019, 6, 1), new(2026, 3, 2)];
        var events = new List<FeedEvent>();
        var index = 0;
        foreach (var zone in zones)
        {
            foreach (var date in dates.Where((_, i) => (i + index) % 2 == 0))
            {
                var start = date.At(new LocalTime(9, 30));
                events.Add(TestData.Plenary() with
                {
                    EngagementId = new Guid(index++, 3, 3, new byte[8]),
                    StartZone = zone,
                    EndZone = zone,
                    StartLocal = start,
                    EndLocal = start.PlusHours(1),
                });
            }
        }

        // Before 1901 Shanghai kept local mean time (+08:05:43): offsets with seconds.
        events.Add(TestData.Plenary() with
        {
            EngagementId = new Guid(index, 3, 3, new byte[8]),
            StartLocal = new LocalDateTime(1900, 1, 10, 9, 0),
            EndLocal = new LocalDateTime(1900, 1, 10, 10, 0),
            EndZone = "America/New_York",
        });
        return events;
    }

    private static FeedCalendar Awkward(FeedDetail detail)
    {
        const string text = "Back\\slash; semi, comma\nnew line\r\nCRLF\rCR\ttab\u0007bell \"quoted\" 'single' 🇬🇧 中文 \uD83D lone \uDE00 low";
        var place = new FeedPlace(text, text, text, text, "GB", 51.5, -0.12);
        var e = TestData.Plenary() with
        {
            Title = text,
            Kind = text,
            Areas = [text, "plain"],
            Description = text,
            Host = text,
            TravelMode = text,
            TravelReference = text,
            Place = place,
            Destination = place with { City = "Other" },
            Attendees = [TestData.AcademicAttendee with { FullName = text, LocalName = text }, TestData.InterpreterAttendee with { FullName = " \"Sam\"; Okafor: interpreter, FR " }],
        };
        return TestData.Organiser([e, TestData.Flight()]) with { Name = text, OrganizerName = text, OrganizerEmail = " a b,c;d@example.org ", Detail = detail };
    }

    /// <summary>The shape of FeedBenchmarks.Calendar (tests/CommissionPlanner.Benchmarks), with fixed ids.</summary>
    private static FeedCalendar Generated(int events, int attendeesPerEvent, bool organiser)
    {
        var random = new Random(events);
        FeedPlace[] places =
        [
            new("Lancaster House", null, "Stable Yard, London SW1A 1BB", "London", "GB", 51.5040, -0.1389),
            new("Diaoyutai State Guesthouse", "钓鱼台国宾馆", "2 Fucheng Road, Haidian District, Beijing 100830", "Beijing", "CN", 39.9169, 116.3279),
            new("Royal Society", null, "6-9 Carlton House Terrace, London SW1Y 5AG", "London", "GB", 51.5063, -0.1318),
        ];
        var people = Enumerable.Range(0, Math.Max(attendeesPerEvent, 1) * 5)
            .Select(i => new FeedAttendee(new Guid(i, 4, 4, new byte[8]), $"Delegate Number {i}", i % 3 == 0 ? "代表" : null, $"delegate{i}@example.org",
                i % 7 == 0 ? "chair" : "required", i % 4 == 0 ? "accepted" : "needs-action"))
            .ToArray();
        var list = new List<FeedEvent>(events);
        var start = new LocalDateTime(2026, 3, 2, 8, 0);
        for (var i = 0; i < events; i++)
        {
            var place = places[i % places.Length];
            var zone = place.City == "Beijing" ? "Asia/Shanghai" : "Europe/London";
            var at = start.PlusHours(i * 2);
            var attendees = organiser
                ? people.Skip(random.Next(people.Length - attendeesPerEvent)).Take(attendeesPerEvent).ToList()
                : [people[0]];
            list.Add(new FeedEvent(
                new Guid(i, 5, 5, new byte[8]), i % 3, i % 10 == 0 ? "tentative" : "confirmed", "meeting", $"Working group {i}: science and innovation",
                at, zone, at.PlusHours(1), zone, Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2026, 1, 2, 0, 0),
                "A session of the joint commission's working group, with a description of a sentence or two, as real ones have.",
                "Host organisation", null, null, place, null, ["health", "climate-environment"], attendees, ReviewPending: i % 17 == 0));
        }

        return new FeedCalendar(
            organiser ? "11th Joint Commission" : "Delegate Number 0: 11th Joint Commission", "Europe/London", list,
            FeedDetail.Full, ShowAllAttendees: organiser, OwnerPersonId: organiser ? null : people[0].PersonId,
            OrganizerName: organiser ? "Secretariat" : null, OrganizerEmail: organiser ? "secretariat@example.org" : null,
            Duration.FromMinutes(60), id => $"http://127.0.0.1:5080/api/engagements/{id}");
    }
}
