using System.Text;
using CommissionPlanner.Calendar.Tests.Support;
using NodaTime;

namespace CommissionPlanner.Calendar.Tests;

/// <summary>
/// <see cref="FeedRenderer"/> serializes each component on its own through Ical.Net and caches the text. Two checks on
/// every case: the pieces add up, byte for byte, to Ical.Net serializing the whole calendar in one go (the cache and the
/// assembly change nothing), and the feed is the approved one (<see cref="Approved"/>: files checked in, first written
/// and checked line for line against the renderer before this one), so a change to what clients read is always a
/// reviewed diff.
/// </summary>
public sealed class FeedRendererApprovedTests
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
        ["event URLs without a path, with odd characters"] = () => TestData.Organiser() with
        {
            EventUrl = id => id == TestData.PlenaryId ? "http://Planner.example" : id == TestData.FlightId ? "https://x.org/a,c;d\\e?q=é&r=%41" : $"https://x.org/{id}",
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
        // Each attendee's line is written once per render and reused (AttendeeLines): the same people on many events, in
        // other roles and replies on some, one with a name long enough to fold, one without an address.
        ["the same people across events, in other roles and replies"] = () => TestData.Organiser([.. Enumerable.Range(0, 12).Select(i =>
            TestData.Plenary() with
            {
                EngagementId = new Guid(i, 7, 7, new byte[8]),
                StartLocal = new LocalDateTime(2025, 11, 11, 8, 0).PlusHours(i),
                EndLocal = new LocalDateTime(2025, 11, 11, 9, 0).PlusHours(i),
                Attendees =
                [
                    TestData.MinisterAttendee with { Response = i % 3 == 0 ? "tentative" : "accepted" },
                    TestData.AcademicAttendee with { Role = i % 2 == 0 ? "required" : "chair" },
                    TestData.InterpreterAttendee,
                    new FeedAttendee(new Guid(99, 1, 1, new byte[8]), "Professor Alexandra Catherine Montgomery-Whitfield", "亚历山德拉·凯瑟琳·蒙哥马利-惠特菲尔德教授",
                        "alexandra.montgomery-whitfield@department-for-science-innovation-and-technology.example.gov.uk", "optional", "declined"),
                ],
            })]),
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
    public void Cached_pieces_add_up_to_Ical_Nets_serialization_of_the_whole_calendar(string name)
    {
        var calendar = Cases[name]();
        var whole = FeedRenderer.Serialize(FeedRenderer.BuildCalendar(calendar));
        var cache = new FeedRenderCache();
        Assert.Equal(Ics.Bytes(whole), FeedRenderer.RenderUtf8(calendar, cache));
        // Again from the cache, which now holds every piece.
        var serialized = cache.EventsSerialized;
        Assert.Equal(Ics.Bytes(whole), FeedRenderer.RenderUtf8(calendar, cache));
        Assert.Equal(serialized, cache.EventsSerialized);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void The_feed_is_the_approved_one(string name)
    {
        var ics = FeedRenderer.Render(Cases[name]());
        Ics.AssertWellFormedBytes(Ics.Bytes(ics));
        Approved.AssertFeed(name, ics);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Random_text_at_every_fold_point_reads_back_as_written(int seed)
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

            var ics = FeedRenderer.Render(calendar);
            Ics.AssertWellFormedBytes(Ics.Bytes(ics));
            // Folded and escaped at random points, every title reads back as the renderer meant to write it (TEXT made
            // safe: controls as spaces, a lone surrogate as U+FFFD), through this test's own reader and Ical.Net's.
            var titles = calendar.Detail == FeedDetail.Busy
                ? events.Select(_ => "Busy").ToList()
                : events.Select(e => IcalNetWorkarounds.Text(e.Title)).ToList();
            var written = Ics.Components(ics, "VEVENT")
                .ToDictionary(lines => Ics.Value(lines, "UID")!, lines => Ics.UnescapeText(Ics.Value(lines, "SUMMARY")!));
            var parsed = Ical.Net.Calendar.Load(ics)!.Events.ToDictionary(e => e.Uid!, e => e.Summary);
            for (var i = 0; i < events.Count; i++)
            {
                var uid = events[i].EngagementId + FeedRenderer.UidSuffix;
                Assert.Equal(titles[i], written[uid]);
                Assert.Equal(titles[i], parsed[uid]);
            }

            Assert.Equal(Ics.Bytes(FeedRenderer.Serialize(FeedRenderer.BuildCalendar(calendar))), FeedRenderer.RenderUtf8(calendar, new FeedRenderCache()));
        }
    }

    [Fact]
    public void A_zero_refresh_interval_is_refused_as_a_configuration_error() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FeedRenderer.Render(TestData.Organiser([]) with { RefreshInterval = Duration.Zero }));

    // Where the previous renderer refused a whole feed (a 500 for every subscriber) because of one row, this one serves
    // the feed: each case below renders, parses in Ical.Net, and keeps every other event as it was.

    public static TheoryData<string> OddRows => ["unknown zone", "unknown status", "unknown role", "unknown response", "attendee address that is not a URI", "angle-bracketed attendee address"];

    [Theory]
    [MemberData(nameof(OddRows))]
    public void One_odd_row_does_not_fail_the_feed(string input)
    {
        var odd = input switch
        {
            "unknown zone" => TestData.Plenary() with { EndZone = "Mars/Olympus" },
            "unknown status" => TestData.Plenary() with { Status = "maybe" },
            "unknown role" => TestData.Plenary() with { Attendees = [TestData.MinisterAttendee with { Role = "guest" }] },
            "unknown response" => TestData.Plenary() with { Attendees = [TestData.MinisterAttendee with { Response = "perhaps" }] },
            "attendee address that is not a URI" => TestData.Plenary() with { Attendees = [TestData.MinisterAttendee with { Email = "alex morgan@example.org" }] },
            "angle-bracketed attendee address" => TestData.Plenary() with { Attendees = [TestData.MinisterAttendee with { Email = "<a@example.org>" }] },
            _ => throw new ArgumentOutOfRangeException(nameof(input)),
        };
        var others = TestData.Organiser().Events.Where(e => e.EngagementId != TestData.PlenaryId).ToList();
        var ics = FeedRenderer.Render(TestData.Organiser([odd, .. others]));
        Ics.AssertWellFormedBytes(Ics.Bytes(ics));
        var parsed = Ical.Net.Calendar.Load(ics)!;
        var expected = TestData.Organiser(others);
        foreach (var other in others)
        {
            Assert.Equal(
                Assert.Single(Ics.Components(FeedRenderer.Render(expected), "VEVENT"), c => Ics.Value(c, "UID") == other.EngagementId + FeedRenderer.UidSuffix),
                Assert.Single(Ics.Components(ics, "VEVENT"), c => Ics.Value(c, "UID") == other.EngagementId + FeedRenderer.UidSuffix));
        }

        var plenary = parsed.Events.SingleOrDefault(e => e.Uid == TestData.PlenaryId + FeedRenderer.UidSuffix);
        if (input == "unknown zone")
        {
            Assert.Null(plenary); // no instant to place it at
        }
        else
        {
            Assert.NotNull(plenary);
            Assert.Equal(odd.Sequence, plenary.Sequence);
        }

        if (input.Contains("address", StringComparison.Ordinal))
        {
            // The person stays, under their id instead of an address no client could use.
            var line = Assert.Single(Ics.Props(Assert.Single(Ics.Components(ics, "VEVENT"), c => Ics.Value(c, "UID") == plenary!.Uid), "ATTENDEE"));
            Assert.Equal("urn:uuid:" + TestData.MinisterAttendee.PersonId, Ics.ValueOf(line));
        }
    }

    // Inputs the planner does not produce (a programme's zone is an IANA id, the organiser address comes from
    // configuration, event links from the base URL and an id), on which the renderer before this one (an Ical.Net object
    // model refolded by hand) wrote a broken or altered line: this one writes a valid one or leaves the property out.

    [Fact]
    public void Control_characters_in_any_TEXT_value_become_spaces()
    {
        // The renderer before passed X-WR-TIMEZONE to Ical.Net without our cleaning: a raw control character made a line that
        // Ical.Net's own parser refuses. Every TEXT value is cleaned alike now; an organiser address with a control
        // character is no e-mail address, so there is no ORGANIZER.
        var calendar = TestData.Single(TestData.Plenary()) with { DefaultTimeZone = "Europe/London\u0007", OrganizerEmail = "a\u0007b@example.org" };

        var parsed = Ical.Net.Calendar.Load(FeedRenderer.Render(calendar))!;
        Assert.Equal("Europe/London ", parsed.Properties["X-WR-TIMEZONE"]!.Value);
        Assert.Null(parsed.Events.Single().Organizer);
    }

    [Theory]
    [InlineData("secretariat@example.org", "mailto:secretariat@example.org")]
    [InlineData("\"the secretariat\"@example.org", "mailto:%22the%20secretariat%22@example.org")]
    [InlineData("100%sure@bücher.example", "mailto:100%25sure@xn--bcher-kva.example")]
    [InlineData(@"a\nb\,c@example.org", null)]
    [InlineData(" a b,c;d@example.org ", null)]
    public void The_organiser_address_is_a_mailto_URI_or_left_out(string address, string? expected)
    {
        // The renderer before handed the address to Organizer(string), which reads it as escaped iCalendar text ("\n" became a
        // line break). Now the address is checked and percent-encoded as RFC 6068 asks, or there is no ORGANIZER.
        var calendar = TestData.Single(TestData.Plenary()) with { OrganizerEmail = address };
        var parsed = Ical.Net.Calendar.Load(FeedRenderer.Render(calendar))!;
        Assert.Equal(expected, parsed.Events.Single().Organizer?.Value?.OriginalString);
    }

    [Fact]
    public void A_folded_line_break_in_an_event_URL_leaves_the_link_out()
    {
        // The renderer before unfolded Ical.Net's output before folding it again, so CRLF + space inside a raw value
        // vanished and the link changed silently; a link with a line break or white space is left out now.
        var calendar = TestData.Single(TestData.Plenary()) with { EventUrl = _ => "https://example.org/a\r\n b" };
        var written = Assert.Single(Ics.Components(FeedRenderer.Render(calendar), "VEVENT"));
        Assert.Null(Ics.Value(written, "URL"));
        Assert.DoesNotContain("example.org/a", Ics.Value(written, "DESCRIPTION") ?? string.Empty, StringComparison.Ordinal);
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
                    index % 3 == 0 ? null : $" p{index}+x.y@example.org ", role, response));
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
        return TestData.Organiser([e, TestData.Flight()]) with { Name = text, OrganizerName = text, OrganizerEmail = " secretariat+jcm@example.org ", Detail = detail };
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
