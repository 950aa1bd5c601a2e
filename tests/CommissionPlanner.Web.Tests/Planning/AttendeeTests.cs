using System.Net;
using System.Text;
using System.Text.Json;
using CommissionPlanner.Web.Tests.Infrastructure;

namespace CommissionPlanner.Web.Tests.Planning;

public sealed class AttendeeTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private PlanningClient Api() => new(fixture.App.AdminClient());

    [Fact]
    public async Task Adding_an_attendee_answers_201_with_the_attendee_needing_action()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var chinese = await api.CreateDelegation(jcm.ProgrammeId, "Chinese delegation", "CN");
        var person = await api.AddMember(chinese.Id(), "Professor Li Wei", "head", "李伟", "Ministry of Science and Technology", "Vice Minister");
        var plenary = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary");

        var added = await api.TryAddAttendee(plenary.Id(), person.Id(), "chair");
        var attendee = added.Created(requireId: false);

        Assert.Equal(person.Id(), attendee.Str("personId"));
        Assert.Equal("Professor Li Wei", attendee.Str("fullName"));
        Assert.Equal("李伟", attendee.Str("localName"));
        Assert.Equal(chinese.Id(), attendee.Str("delegationId"));
        Assert.Equal("chair", attendee.Str("role"));
        Assert.Equal("needs-action", attendee.Str("response"));
        Assert.Equal("attending", attendee.Str("attendance"));
        Assert.True(attendee.Prop("waitingPosition").ValueKind is JsonValueKind.Null or JsonValueKind.Undefined,
            $"An attending attendee has a waiting position: {attendee.GetRawText()}");

        // The add answers with the attendee as the list then shows them (the grain's answer, not a read-back): every
        // field of the answer has the list's value (the list shows more, such as the delegation's name).
        var listed = Assert.Single((await api.GetAttendees(plenary.Id())).Items());
        foreach (var field in attendee.EnumerateObject())
        {
            Assert.True(listed.TryGetProperty(field.Name, out var value), $"The list does not show '{field.Name}': {listed.GetRawText()}");
            Assert.Equal(field.Value.GetRawText(), value.GetRawText());
        }
    }

    [Fact]
    public async Task Adding_a_person_to_an_overlapping_engagement_gets_409_naming_the_clash()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var minister = await jcm.NewDelegate(api, "Dr Jonathan Whitcombe");
        var plenary = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary");
        var bilateral = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T12:00", "2025-11-11T13:00", "Bilateral with MOST");
        await api.AddAttendee(plenary.Id(), minister);

        var clash = await api.TryAddAttendee(bilateral.Id(), minister);

        PlanningAssert.ConflictsName(clash, plenary.Id());
        Assert.Empty((await api.GetAttendees(bilateral.Id())).Items());
        Assert.Single((await api.GetItinerary(minister)).Required("entries").Items());
    }

    [Fact]
    public async Task Adding_the_same_person_twice_to_one_engagement_is_refused_without_a_second_entry()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api);
        var plenary = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary");
        await api.AddAttendee(plenary.Id(), person);

        var again = await api.TryAddAttendee(plenary.Id(), person);

        // Not in the contract: a repeat may be refused (409) or answered idempotently; it must not add a second entry.
        Assert.True(again.Status is HttpStatusCode.Conflict or HttpStatusCode.OK or HttpStatusCode.Created, again.Describe());
        Assert.Single((await api.GetAttendees(plenary.Id())).Items());
    }

    [Fact]
    public async Task A_Guangzhou_visit_two_hours_after_a_Beijing_meeting_without_a_flight_gets_409_travel()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var minister = await jcm.NewDelegate(api, "Dr Jonathan Whitcombe");
        var plenary = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-12T08:00", "2025-11-12T09:00", "Breakfast bilateral");
        var ccus = await api.CreateMeeting(jcm.ProgrammeId, jcm.CcusCentre, "2025-11-12T11:00", "2025-11-12T12:30", "Visit to the CCUS Centre", "site-visit");
        await api.AddAttendee(plenary.Id(), minister);

        var clash = await api.TryAddAttendee(ccus.Id(), minister);

        PlanningAssert.ConflictsName(clash, plenary.Id());
        Assert.Empty((await api.GetAttendees(ccus.Id())).Items());
    }

    [Fact]
    public async Task With_the_flight_booked_in_between_the_Guangzhou_visit_can_be_added()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var minister = await jcm.NewDelegate(api, "Dr Jonathan Whitcombe");
        var breakfast = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-12T08:00", "2025-11-12T09:00", "Breakfast bilateral");
        // 1,900 km: without a flight the default estimate (3 h overhead + flying time) is over five hours.
        var ccus = await api.CreateMeeting(jcm.ProgrammeId, jcm.CcusCentre, "2025-11-12T13:00", "2025-11-12T14:30", "Visit to the CCUS Centre", "site-visit");
        var flight = await api.CreateTravelLeg(jcm.ProgrammeId, jcm.BeijingAirport, jcm.GuangzhouAirport,
            "2025-11-12T09:30", "2025-11-12T12:30", "Flight to Guangzhou", "flight", "CA 1351");
        await api.AddAttendee(breakfast.Id(), minister);

        PlanningAssert.ConflictsName(await api.TryAddAttendee(ccus.Id(), minister), breakfast.Id());

        await api.AddAttendee(flight.Id(), minister);
        var attendee = await api.AddAttendee(ccus.Id(), minister);
        Assert.Equal(minister, attendee.Str("personId"));

        var entries = (await api.GetItinerary(minister)).Required("entries").Items();
        Assert.Equal([breakfast.Id(), flight.Id(), ccus.Id()], entries.Select(e => e.Str("engagementId")).ToArray());
    }

    [Fact]
    public async Task An_unknown_person_in_the_body_gets_400_naming_personId_and_an_unknown_engagement_404()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api);
        var plenary = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary");

        PlanningAssert.Problem(await api.TryAddAttendee(plenary.Id(), Guid.NewGuid().ToString()), HttpStatusCode.BadRequest, "personId");
        PlanningAssert.Problem(await api.TryAddAttendee(plenary.Id(), person, "spectator"), HttpStatusCode.BadRequest, "role");
        PlanningAssert.Problem(await api.TryAddAttendee(Guid.NewGuid().ToString(), person), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await api.TryAddAttendee("not-a-uuid", person), HttpStatusCode.NotFound);
        Assert.Empty((await api.GetAttendees(plenary.Id())).Items());
    }

    [Fact]
    public async Task Responses_can_be_accepted_and_declined()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api);
        var reception = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T18:30", "2025-11-11T20:30", "Reception", "reception");
        await api.AddAttendee(reception.Id(), person, "optional");

        var accepted = await api.SetResponse(reception.Id(), person, "accepted");
        Assert.Equal("accepted", accepted.Str("response"));
        Assert.Equal("attending", accepted.Str("attendance"));

        var declined = await api.SetResponse(reception.Id(), person, "declined");
        Assert.Equal("declined", declined.Str("response"));
        Assert.Equal("declined", Assert.Single((await api.GetAttendees(reception.Id())).Items()).Str("response"));

        PlanningAssert.Problem(await api.TrySetResponse(reception.Id(), person, "maybe-later"), HttpStatusCode.BadRequest, "response");
        PlanningAssert.Problem(await api.TrySetResponse(reception.Id(), Guid.NewGuid().ToString(), "accepted"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Beyond_capacity_the_second_acceptance_waits_and_is_promoted_when_the_first_declines()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var first = await jcm.NewDelegate(api, "Professor Margaret Ellery");
        var second = await jcm.NewDelegate(api, "Professor Rajiv Sandhu");
        var lab = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:00", "2025-11-11T16:30", "Carbon-capture lab tour", "site-visit", capacity: 1);

        // Inviting beyond capacity is allowed.
        await api.AddAttendee(lab.Id(), first);
        await api.AddAttendee(lab.Id(), second);

        var firstAccepts = await api.SetResponse(lab.Id(), first, "accepted");
        Assert.Equal("attending", firstAccepts.Str("attendance"));

        var secondAccepts = await api.SetResponse(lab.Id(), second, "accepted");
        Assert.Equal("accepted", secondAccepts.Str("response"));
        Assert.Equal("waiting", secondAccepts.Str("attendance"));
        Assert.Equal(1, secondAccepts.Required("waitingPosition").GetInt32());

        await api.SetResponse(lab.Id(), first, "declined");

        var promoted = (await api.GetAttendees(lab.Id())).Items().Single(a => a.Str("personId") == second);
        Assert.Equal("attending", promoted.Str("attendance"));
        Assert.True(promoted.Prop("waitingPosition").ValueKind is JsonValueKind.Null or JsonValueKind.Undefined, promoted.GetRawText());
    }

    [Fact]
    public async Task Lowering_the_capacity_below_the_number_attending_gets_409_and_keeps_the_capacity()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var first = await jcm.NewDelegate(api, "Professor Margaret Ellery");
        var second = await jcm.NewDelegate(api, "Professor Rajiv Sandhu");
        var lab = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:00", "2025-11-11T16:30", "Carbon-capture lab tour", "site-visit", capacity: 2);
        await api.AddAttendee(lab.Id(), first);
        await api.AddAttendee(lab.Id(), second);
        await api.SetResponse(lab.Id(), first, "accepted");
        await api.SetResponse(lab.Id(), second, "accepted");

        var lowered = await api.TryPatchEngagement(lab.Id(), new { capacity = 1 });

        PlanningAssert.Problem(lowered, HttpStatusCode.Conflict);
        // "409 with both numbers": the capacity asked for (1) and the number attending (2), wherever the body puts them.
        Assert.Matches(@"\b1\b", lowered.Text);
        Assert.Matches(@"\b2\b", lowered.Text);
        Assert.Equal(2, (await api.GetEngagement(lab.Id())).Required("capacity").GetInt32());
        Assert.All((await api.GetAttendees(lab.Id())).Items(), a => Assert.Equal("attending", a.Str("attendance")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_attendee_list_as_csv_has_a_bom_a_header_local_names_and_neutralised_formulas(bool byAcceptHeader)
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var chinese = await api.CreateDelegation(jcm.ProgrammeId, "Chinese delegation", "CN");
        var li = (await api.AddMember(chinese.Id(), "Professor Li Wei", "head", "李伟", "Ministry of Science and Technology", "Vice Minister")).Id();
        var zhou = (await api.AddMember(chinese.Id(), "Dr Zhou Min", "member", "周敏", "Chinese Academy of Sciences",
            "=HYPERLINK(\"https://example.org/x\",\"Director\")")).Id();
        var gao = (await api.AddMember(chinese.Id(), "+Gao Yan, \"interpreter\"", "support", "高燕", "MOST", "Interpreter")).Id();
        var plenary = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary");
        foreach (var person in new[] { li, zhou, gao })
        {
            await api.AddAttendee(plenary.Id(), person);
        }

        var csv = byAcceptHeader
            ? await api.Get($"/api/engagements/{plenary.Id()}/attendees", "text/csv")
            : await api.Get($"/api/engagements/{plenary.Id()}/attendees?format=csv");

        csv.Expect(HttpStatusCode.OK);
        Assert.Equal("text/csv", csv.MediaType);
        var bytes = csv.Bytes.ToArray();
        Assert.True(bytes.Length > 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "No UTF-8 byte order mark.");
        var rows = Csv.Parse(new UTF8Encoding(false).GetString(bytes, 3, bytes.Length - 3));

        var header = rows[0];
        Assert.Contains(header, h => h.Contains("name", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(header, h => Guid.TryParse(h, out _));
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal(header.Count, r.Count));

        var cells = rows.SelectMany(r => r).ToList();
        Assert.Contains("李伟", cells);
        Assert.Contains("Professor Li Wei", cells);
        // A cell that would begin with =, +, - or @ is prefixed with an apostrophe.
        Assert.DoesNotContain(cells, c => c.Length > 0 && "=+-@".Contains(c[0], StringComparison.Ordinal));
        Assert.Contains("'+Gao Yan, \"interpreter\"", cells);
        Assert.Contains("'=HYPERLINK(\"https://example.org/x\",\"Director\")", cells);
    }
}

/// <summary>A small RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF line ends.</summary>
public static class Csv
{
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i += 2;
                    continue;
                }

                if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }

                i++;
                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    row.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    row.Add(cell.ToString());
                    cell.Clear();
                    rows.Add(row);
                    row = [];
                    break;
                default:
                    cell.Append(c);
                    break;
            }

            i++;
        }

        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            rows.Add(row);
        }

        return rows;
    }
}
