using System.Net;
using System.Text;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

using CommissionPlanner.Tests.IcalValidation;

namespace CommissionPlanner.Web.Tests.Feeds;

/// <summary>What live feeds contain after planning changes: replies, cancellations, declines, detail levels and privacy.</summary>
public sealed class FeedContentTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private PlanningClient Api() => new(fixture.App.AdminClient());

    private FeedClient Feeds => new(fixture.App);

    [Fact]
    public async Task A_reply_changes_PARTSTAT_in_the_persons_feed_at_once()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        var before = (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);
        Assert.Equal("NEEDS-ACTION", PartstatOf(before.Text, world.PlenaryId, world.PersonEmail));

        await api.SetResponse(world.PlenaryId, world.PersonId, "accepted");

        // No waiting for a cache to expire: the very next poll, even a conditional one, sees the reply.
        var after = await Feeds.Fetch(feed.Url, headers: h => h.IfNoneMatch.Add(before.ETag!));
        after.Expect(HttpStatusCode.OK);
        Assert.Equal("ACCEPTED", PartstatOf(after.Text, world.PlenaryId, world.PersonEmail));

        await api.SetResponse(world.PlenaryId, world.PersonId, "tentative");
        Assert.Equal("TENTATIVE", PartstatOf(await Feeds.Calendar(feed.Url), world.PlenaryId, world.PersonEmail));
    }

    [Fact]
    public async Task Cancelling_an_engagement_shows_STATUS_CANCELLED_with_a_higher_SEQUENCE_in_person_delegation_and_programme_feeds()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var person = await FeedClient.Create(api, "people", world.PersonId);
        var delegation = await FeedClient.Create(api, "delegations", world.Jcm.DelegationId);
        var programme = await FeedClient.Create(api, "programmes", world.ProgrammeId);
        var single = await FeedClient.Create(api, "engagements", world.PlenaryId);
        var sequenceBefore = FeedText.Sequence(FeedText.EventFor(await Feeds.Calendar(person.Url), world.PlenaryId));

        await api.CancelEngagement(world.PlenaryId, "The minister's visit was postponed.");

        foreach (var feed in new[] { person, delegation, programme, single })
        {
            var calendar = await Feeds.Calendar(feed.Url);
            var vevent = FeedText.EventFor(calendar, world.PlenaryId);
            Assert.True(FeedText.Value(vevent, "STATUS") == "CANCELLED", $"Not cancelled in {feed.Json.Str("scope")} feed:\n{calendar}");
            Assert.True(FeedText.Sequence(vevent) > sequenceBefore, $"SEQUENCE not bumped by the cancellation in {feed.Json.Str("scope")} feed:\n{calendar}");
        }
    }

    [Fact]
    public async Task Confirming_an_engagement_shows_STATUS_CONFIRMED_with_a_higher_SEQUENCE()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        var before = FeedText.EventFor(await Feeds.Calendar(feed.Url), world.PlenaryId);
        Assert.Equal("TENTATIVE", FeedText.Value(before, "STATUS"));

        (await api.Post($"/api/engagements/{world.PlenaryId}/confirm", null)).Ok();

        var after = FeedText.EventFor(await Feeds.Calendar(feed.Url), world.PlenaryId);
        Assert.Equal("CONFIRMED", FeedText.Value(after, "STATUS"));
        Assert.True(FeedText.Sequence(after) > FeedText.Sequence(before));
        Assert.Equal(FeedText.UidOf(before), FeedText.UidOf(after));
    }

    [Fact]
    public async Task Renaming_an_engagement_changes_SUMMARY_in_the_feed_at_once_and_keeps_the_UID()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        var before = await Feeds.Fetch(feed.Url);

        await api.PatchEngagement(world.PlenaryId, new { title = "Plenary; rescheduled, with \\ and \"quotes\"" });

        var after = (await Feeds.Fetch(feed.Url, headers: h => h.IfNoneMatch.Add(before.ETag!))).Expect(HttpStatusCode.OK);
        var vevent = FeedText.EventFor(after.Text, world.PlenaryId);
        Assert.Equal("Plenary; rescheduled, with \\ and \"quotes\"", FeedText.UnescapeText(FeedText.Value(vevent, "SUMMARY")!));
        Assert.Equal(FeedText.UidOf(FeedText.EventFor(before.Text, world.PlenaryId)), FeedText.UidOf(vevent));
    }

    [Fact]
    public async Task A_declined_engagement_disappears_from_the_persons_feed_but_stays_in_the_programme_feed()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var visit = await api.CreateMeeting(world.ProgrammeId, world.Jcm.Tsinghua, "2025-11-11T15:00", "2025-11-11T17:00",
            "Visit to the Institute for Carbon Neutrality", "site-visit");
        await api.AddAttendee(visit.Id(), world.PersonId);
        var person = await FeedClient.Create(api, "people", world.PersonId);
        var programme = await FeedClient.Create(api, "programmes", world.ProgrammeId);
        Assert.True(FeedText.HasEventFor(await Feeds.Calendar(person.Url), visit.Id()));

        await api.SetResponse(visit.Id(), world.PersonId, "declined");

        var personal = await Feeds.Calendar(person.Url);
        Assert.False(FeedText.HasEventFor(personal, visit.Id()), $"The declined visit is still in the person's feed:\n{personal}");
        Assert.True(FeedText.HasEventFor(personal, world.PlenaryId), $"The plenary left the person's feed too:\n{personal}");
        var organisers = await Feeds.Calendar(programme.Url);
        Assert.Equal("DECLINED", PartstatOf(organisers, visit.Id(), world.PersonEmail));
    }

    [Fact]
    public async Task Removing_an_attendee_takes_the_engagement_out_of_their_feed_at_once()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        var before = (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);
        Assert.True(FeedText.HasEventFor(before.Text, world.PlenaryId));

        (await api.Send(HttpMethod.Delete, $"/api/engagements/{world.PlenaryId}/attendees/{world.PersonId}")).Expect(HttpStatusCode.NoContent);

        var after = (await Feeds.Fetch(feed.Url, headers: h => h.IfNoneMatch.Add(before.ETag!))).Expect(HttpStatusCode.OK);
        Assert.False(FeedText.HasEventFor(after.Text, world.PlenaryId), $"The plenary is still in the feed:\n{after.Text}");
    }

    [Fact]
    public async Task A_busy_feed_shows_Busy_and_the_city_without_titles_descriptions_attendees_or_venues()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        const string secretTitle = "Confidential talks on quantum sensing";
        var talks = await api.CreateMeeting(world.ProgrammeId, world.Jcm.Tsinghua, "2025-11-12T09:00", "2025-11-12T10:00", secretTitle);
        await api.PatchEngagement(talks.Id(), new { host = "Professor Zhang Wei", description = "Agenda: export-controlled items" });
        await api.AddAttendee(talks.Id(), world.PersonId);
        var other = await api.AddMember(world.Jcm.DelegationId, "Dr Samuel Okafor", "member");
        await api.AddAttendee(talks.Id(), other.Id());

        var busy = await FeedClient.Create(api, "people", world.PersonId, "busy");
        Assert.Equal("busy", busy.Json.Str("detail"));
        var calendar = await Feeds.Calendar(busy.Url);

        var events = FeedText.Events(calendar);
        Assert.Equal(2, events.Count);
        foreach (var vevent in events)
        {
            Assert.Equal("Busy", FeedText.Value(vevent, "SUMMARY"));
            Assert.Equal("Beijing", FeedText.UnescapeText(FeedText.Value(vevent, "LOCATION") ?? string.Empty));
            foreach (var hidden in new[] { "DESCRIPTION", "ATTENDEE", "ORGANIZER", "GEO", "CATEGORIES", "URL" })
            {
                Assert.True(FeedText.Props(vevent, hidden).Count == 0, $"A busy feed has {hidden}:\n{calendar}");
            }

            Assert.NotNull(FeedText.Value(vevent, "DTSTART"));
            Assert.NotNull(FeedText.Value(vevent, "DTEND"));
        }

        var unfolded = FeedText.Unfold(calendar);
        foreach (var secret in new[]
        {
            secretTitle, FeedScenario.PlenaryTitle, "export-controlled", "Zhang Wei", "Diaoyutai", "钓鱼台", "Tsinghua", "Fucheng Road",
            world.PersonEmail, other.Str("email"), "Okafor", "quantum",
        })
        {
            Assert.DoesNotContain(secret, unfolded, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_persons_feed_has_no_other_persons_email_while_the_programme_feed_lists_all_attendees()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var colleague = await api.AddMember(world.Jcm.DelegationId, "Dr Samuel Okafor", "member");
        var chinese = await api.CreateDelegation(world.ProgrammeId, "Chinese delegation", "CN");
        var host = await api.AddMember(chinese.Id(), "Professor Li Wei", "head", "李伟", "Ministry of Science and Technology", "Vice Minister");
        await api.AddAttendee(world.PlenaryId, colleague.Id());
        await api.AddAttendee(world.PlenaryId, host.Id(), "chair");
        var colleagueEmail = colleague.Str("email");
        var hostEmail = host.Str("email");

        var personal = FeedText.Unfold(await Feeds.Calendar((await FeedClient.Create(api, "people", world.PersonId)).Url));
        var programme = await Feeds.Calendar((await FeedClient.Create(api, "programmes", world.ProgrammeId)).Url);
        var delegation = FeedText.Unfold(await Feeds.Calendar((await FeedClient.Create(api, "delegations", world.Jcm.DelegationId)).Url));

        Assert.DoesNotContain(colleagueEmail, personal, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(hostEmail, personal, StringComparison.OrdinalIgnoreCase);
        var own = FeedText.Props(FeedText.EventFor(personal, world.PlenaryId), "ATTENDEE");
        Assert.Contains(world.PersonEmail, Assert.Single(own), StringComparison.OrdinalIgnoreCase);

        var all = FeedText.Props(FeedText.EventFor(programme, world.PlenaryId), "ATTENDEE");
        Assert.Equal(3, all.Count);
        foreach (var email in new[] { world.PersonEmail, colleagueEmail, hostEmail })
        {
            Assert.Contains(all, line => line.Contains("mailto:" + email, StringComparison.OrdinalIgnoreCase));
        }

        Assert.Equal("CHAIR", FeedText.Parameter(all.Single(l => l.Contains(hostEmail, StringComparison.OrdinalIgnoreCase)), "ROLE"));

        // A delegation's feed (shared among its members) names nobody's address either.
        Assert.True(FeedText.HasEventFor(delegation, world.PlenaryId));
        foreach (var email in new[] { world.PersonEmail, colleagueEmail, hostEmail })
        {
            Assert.DoesNotContain(email, delegation, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_delegation_feed_holds_what_its_members_attend_and_nothing_else()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var chinese = await api.CreateDelegation(world.ProgrammeId, "Chinese delegation", "CN");
        var host = await api.AddMember(chinese.Id(), "Professor Li Wei", "head", "李伟", "Ministry of Science and Technology", "Vice Minister");
        var internalBriefing = await api.CreateMeeting(world.ProgrammeId, world.Jcm.Tsinghua, "2025-11-12T08:00", "2025-11-12T09:00",
            "MOST internal briefing", "briefing");
        await api.AddAttendee(internalBriefing.Id(), host.Id());
        var unattended = await api.CreateMeeting(world.ProgrammeId, world.Jcm.Tsinghua, "2025-11-12T14:00", "2025-11-12T15:00", "Nobody's meeting");

        var uk = await Feeds.Calendar((await FeedClient.Create(api, "delegations", world.Jcm.DelegationId)).Url);
        var cn = await Feeds.Calendar((await FeedClient.Create(api, "delegations", chinese.Id())).Url);

        Assert.True(FeedText.HasEventFor(uk, world.PlenaryId));
        Assert.False(FeedText.HasEventFor(uk, internalBriefing.Id()), $"Another delegation's briefing leaked:\n{uk}");
        Assert.False(FeedText.HasEventFor(uk, unattended.Id()));
        Assert.True(FeedText.HasEventFor(cn, internalBriefing.Id()));
        Assert.False(FeedText.HasEventFor(cn, world.PlenaryId));
    }

    [Fact]
    public async Task An_engagement_feed_holds_only_that_engagement_with_every_attendee()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var colleague = await api.AddMember(world.Jcm.DelegationId, "Dr Samuel Okafor", "member");
        await api.AddAttendee(world.PlenaryId, colleague.Id());
        await api.CreateMeeting(world.ProgrammeId, world.Jcm.Tsinghua, "2025-11-12T14:00", "2025-11-12T15:00", "Another meeting");

        var calendar = await Feeds.Calendar((await FeedClient.Create(api, "engagements", world.PlenaryId)).Url);

        var vevent = Assert.Single(FeedText.Events(calendar));
        Assert.StartsWith(world.PlenaryId, FeedText.UidOf(vevent), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, FeedText.Props(vevent, "ATTENDEE").Count);
    }

    [Fact]
    public async Task A_persons_live_feed_read_by_ical_js_gives_the_right_UTC_instants_and_PARTSTAT()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api, "Professor Margaret Ellery");
        var lancaster = (await api.CreateVenue(Jcm.LancasterHouse())).Id();
        // Beijing (UTC+8, no DST), a flight ending in London's zone, and London on both sides of the March 2026 change.
        var flight = await api.CreateTravelLeg(world.ProgrammeId, world.Jcm.BeijingAirport, lancaster, "2025-11-13T13:00", "2025-11-13T17:30",
            "Flight BA 38 to London", reference: "BA38");
        var beforeDst = await api.CreateMeeting(world.ProgrammeId, lancaster, "2026-03-27T09:00", "2026-03-27T10:00", "Follow-up in London (GMT)");
        var afterDst = await api.CreateMeeting(world.ProgrammeId, lancaster, "2026-03-30T09:00", "2026-03-30T10:00", "Follow-up in London (BST)");
        await api.AddAttendee(flight.Id(), world.PersonId);
        await api.AddAttendee(beforeDst.Id(), world.PersonId);
        await api.AddAttendee(afterDst.Id(), world.PersonId, "optional");
        var colleague = await api.AddMember(world.Jcm.DelegationId, "王小明 Wang Xiaoming 🚀", "member", "王小明");
        await api.AddAttendee(world.PlenaryId, colleague.Id());
        await api.SetResponse(world.PlenaryId, world.PersonId, "accepted");
        await api.SetResponse(afterDst.Id(), world.PersonId, "tentative");
        var feed = await FeedClient.Create(api, "people", world.PersonId);

        var response = (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);
        AssertWellFormedBytes(response.Body);
        var parsed = await IcalJs.ValidateAsync(response.Body);

        Assert.Empty(parsed.MissingZones);
        Assert.Contains("Asia/Shanghai", parsed.Timezones);
        Assert.Contains("Europe/London", parsed.Timezones);
        Assert.Equal(4, parsed.Events.Length);
        AssertEvent(parsed, world.PlenaryId, "2025-11-11T02:00:00Z", "2025-11-11T04:30:00Z", "ACCEPTED", "REQ-PARTICIPANT");
        AssertEvent(parsed, flight.Id(), "2025-11-13T05:00:00Z", "2025-11-13T17:30:00Z", "NEEDS-ACTION", "REQ-PARTICIPANT");
        AssertEvent(parsed, beforeDst.Id(), "2026-03-27T09:00:00Z", "2026-03-27T10:00:00Z", "NEEDS-ACTION", "REQ-PARTICIPANT");
        AssertEvent(parsed, afterDst.Id(), "2026-03-30T08:00:00Z", "2026-03-30T09:00:00Z", "TENTATIVE", "OPT-PARTICIPANT");

        var travel = parsed.Events.Single(e => e.Uid.StartsWith(flight.Id(), StringComparison.OrdinalIgnoreCase));
        Assert.Equal("Asia/Shanghai", travel.StartTzid);
        Assert.Equal("Europe/London", travel.EndTzid);
        var plenary = parsed.Events.Single(e => e.Uid.StartsWith(world.PlenaryId, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(FeedScenario.PlenaryTitle, plenary.Summary);
        Assert.DoesNotContain(colleague.Str("email"), response.Text, StringComparison.OrdinalIgnoreCase);

        void AssertEvent(JsCalendar calendar, string engagementId, string startUtc, string endUtc, string partstat, string role)
        {
            var e = calendar.Events.Single(x => x.Uid.StartsWith(engagementId, StringComparison.OrdinalIgnoreCase));
            Assert.Equal(startUtc, e.StartUtc);
            Assert.Equal(endUtc, e.EndUtc);
            var attendee = Assert.Single(e.Attendees);
            Assert.Equal("mailto:" + world.PersonEmail, attendee.Value, ignoreCase: true);
            Assert.Equal(partstat, attendee.Partstat);
            Assert.Equal(role, attendee.Role);
        }
    }

    private static string? PartstatOf(string calendar, string engagementId, string email)
    {
        var line = FeedText.Props(FeedText.EventFor(calendar, engagementId), "ATTENDEE")
            .SingleOrDefault(l => l.Contains("mailto:" + email, StringComparison.OrdinalIgnoreCase));
        Assert.True(line is not null, $"No ATTENDEE line for {email} on {engagementId}:\n{calendar}");
        return FeedText.Parameter(line, "PARTSTAT");
    }

    /// <summary>No BOM, valid UTF-8, CRLF only, physical lines of at most 75 octets, no fold inside a character.</summary>
    private static void AssertWellFormedBytes(byte[] bytes)
    {
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        Assert.False(bytes is [0xEF, 0xBB, 0xBF, ..], "byte-order mark");
        Assert.True(bytes is [.., (byte)'\r', (byte)'\n'], "must end with CRLF");
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n')
            {
                Assert.True(i > 0 && bytes[i - 1] == '\r', $"bare LF at octet {i}");
                var length = i - 1 - start;
                Assert.True(length <= 75, $"physical line of {length} octets at octet {start}");
                try
                {
                    strict.GetString(bytes, start, length);
                }
                catch (DecoderFallbackException)
                {
                    Assert.Fail($"physical line at octet {start} is not valid UTF-8 on its own (a fold split a character)");
                }

                start = i + 1;
            }
        }
    }
}
