using System.Net;
using System.Text.Json;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Lists;

public sealed class ListsTests(ListsFixture fixture) : IClassFixture<ListsFixture>
{
    private static readonly string[] LogisticsFields = ["dietary", "accessibility", "interpreterLanguage", "nationality", "securityClearance"];
    private static readonly string[] LogisticsColumns = ["dietary", "accessibility", "interpreter_language", "nationality", "security_clearance"];

    private PlanningClient Admin() => new(fixture.AdminClient());

    private async Task<PlanningClient> As(PlanningClient admin, string role, string? personId = null) =>
        new(fixture.ClientWithKey(await admin.CreateKey($"{role} for lists", role, personId)));

    // ---- Per engagement -------------------------------------------------------------------------

    [Fact]
    public async Task The_attendee_list_names_the_delegation_and_leaves_logistics_out_by_default()
    {
        using var api = Admin();
        var s = await ListsScenario.Create(api);

        var list = (await api.GetAttendees(s.PlenaryId)).Items();

        // Delegation (the UK one was made first), then protocol order.
        Assert.Equal([s.Ellery, s.Li, s.Zhou, s.Gao], list.Select(a => a.Str("personId")));
        var li = list.Single(a => a.Str("personId") == s.Li);
        Assert.Equal("Chinese delegation", li.Str("delegationName"));
        Assert.Equal("李伟", li.Str("localName"));
        Assert.Equal("UK delegation", list.Single(a => a.Str("personId") == s.Ellery).Str("delegationName"));
        Assert.All(list, a => Assert.Equal(JsonValueKind.Undefined, a.Prop("logistics").ValueKind));
        Assert.DoesNotContain("Step-free", (await api.Get($"/api/engagements/{s.PlenaryId}/attendees")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Organisers_may_ask_for_logistics_in_the_attendee_list_as_json()
    {
        using var admin = Admin();
        var s = await ListsScenario.Create(admin);
        using var organiser = await As(admin, "organiser");

        var list = (await organiser.Get($"/api/engagements/{s.PlenaryId}/attendees?include=logistics")).Ok().Items();

        var li = list.Single(a => a.Str("personId") == s.Li).Required("logistics");
        Assert.Equal("Vegetarian", li.Str("dietary"));
        Assert.Equal("Step-free access", li.Str("accessibility"));
        Assert.Equal("en", li.Str("interpreterLanguage"));
        Assert.Equal("CN", li.Str("nationality"));
        Assert.Equal("cleared", li.Str("securityClearance"));
        // Someone with nothing recorded still has the fields, empty.
        var gao = list.Single(a => a.Str("personId") == s.Gao).Required("logistics");
        Assert.All(LogisticsFields, f => Assert.Equal(JsonValueKind.Null, gao.Required(f).ValueKind));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_attendee_list_as_csv_has_the_delegation_column_and_neutralised_cells(bool byAcceptHeader)
    {
        using var api = Admin();
        var s = await ListsScenario.Create(api);

        var rows = ListAssert.Csv(byAcceptHeader
            ? await api.Get($"/api/engagements/{s.LabId}/attendees", "text/csv")
            : await api.Get($"/api/engagements/{s.LabId}/attendees?format=csv"));

        Assert.Equal(
            ["person_id", "full_name", "local_name", "organisation", "title", "delegation_id", "delegation", "role", "response", "attendance", "waiting_position"],
            rows[0]);
        Assert.Equal(5, rows.Count);
        var zhou = ListAssert.RowWith(rows, s.Zhou);
        Assert.Equal("周敏", ListAssert.Cell(rows, zhou, "local_name"));
        Assert.Equal("'" + ListsScenario.FormulaOrganisation, ListAssert.Cell(rows, zhou, "organisation"));
        Assert.Equal("Chinese delegation", ListAssert.Cell(rows, zhou, "delegation"));
        Assert.Equal("waiting", ListAssert.Cell(rows, zhou, "attendance"));
        Assert.Equal("1", ListAssert.Cell(rows, zhou, "waiting_position"));
        Assert.Equal("UK delegation", ListAssert.Cell(rows, ListAssert.RowWith(rows, s.Ellery), "delegation"));
        Assert.DoesNotContain(rows[0], LogisticsColumns.Contains);
        Assert.DoesNotContain(rows.SelectMany(r => r), c => c.Contains("Vegetarian", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_attendee_csv_with_logistics_adds_the_five_columns_for_organisers()
    {
        using var admin = Admin();
        var s = await ListsScenario.Create(admin);
        using var organiser = await As(admin, "organiser");

        var rows = ListAssert.Csv(await organiser.Get($"/api/engagements/{s.PlenaryId}/attendees?include=logistics&format=csv"));

        Assert.Equal(LogisticsColumns, rows[0].TakeLast(5));
        var li = ListAssert.RowWith(rows, s.Li);
        Assert.Equal("Vegetarian", ListAssert.Cell(rows, li, "dietary"));
        Assert.Equal("Step-free access", ListAssert.Cell(rows, li, "accessibility"));
        Assert.Equal("CN", ListAssert.Cell(rows, li, "nationality"));
        Assert.Equal("cleared", ListAssert.Cell(rows, li, "security_clearance"));
        Assert.Equal("SC", ListAssert.Cell(rows, ListAssert.RowWith(rows, s.Ellery), "security_clearance"));
        Assert.Equal(string.Empty, ListAssert.Cell(rows, ListAssert.RowWith(rows, s.Gao), "dietary"));
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("reviewer")]
    public async Task Other_roles_asking_for_logistics_get_403_and_never_see_them(string role)
    {
        using var admin = Admin();
        var s = await ListsScenario.Create(admin);
        using var caller = await As(admin, role);

        PlanningAssert.Problem(await caller.Get($"/api/engagements/{s.PlenaryId}/attendees?include=logistics"), HttpStatusCode.Forbidden);
        PlanningAssert.Problem(await caller.Get($"/api/engagements/{s.PlenaryId}/attendees?include=logistics&format=csv"), HttpStatusCode.Forbidden);

        var plain = await caller.Get($"/api/engagements/{s.PlenaryId}/attendees");
        var csv = await caller.Get($"/api/engagements/{s.PlenaryId}/attendees?format=csv");
        var matrix = await caller.Get($"/api/delegations/{s.ChineseDelegationId}/matrix");
        var summary = await caller.Get($"/api/programmes/{s.Jcm.ProgrammeId}/attendance-summary");
        var summaryCsv = await caller.Get($"/api/programmes/{s.Jcm.ProgrammeId}/attendance-summary?format=csv");
        foreach (var answer in new[] { plain, csv, matrix, summary, summaryCsv })
        {
            answer.Expect(HttpStatusCode.OK);
            foreach (var secret in new[] { "Vegetarian", "Step-free", "Halal", "cleared", "dietary", "logistics" })
            {
                Assert.DoesNotContain(secret, answer.Text, StringComparison.OrdinalIgnoreCase);
            }
        }

        // The host's access list (with nationality) is for organisers only.
        PlanningAssert.Problem(await caller.Get($"/api/engagements/{s.LabId}/access-list"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_delegate_key_sees_none_of_the_lists()
    {
        using var admin = Admin();
        var s = await ListsScenario.Create(admin);
        using var li = await As(admin, "delegate", s.Li);

        foreach (var path in new[]
        {
            $"/api/engagements/{s.PlenaryId}/attendees?include=logistics",
            $"/api/engagements/{s.PlenaryId}/attendees?format=csv",
            $"/api/delegations/{s.ChineseDelegationId}/matrix",
            $"/api/programmes/{s.Jcm.ProgrammeId}/attendance-summary",
            $"/api/engagements/{s.LabId}/access-list",
        })
        {
            var answer = await li.Get(path);
            Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
            Assert.DoesNotContain("Vegetarian", answer.Text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task An_unknown_include_is_400_naming_the_field()
    {
        using var api = Admin();
        var s = await ListsScenario.Create(api);

        PlanningAssert.Problem(await api.Get($"/api/engagements/{s.PlenaryId}/attendees?include=passports"), HttpStatusCode.BadRequest, "include");
    }

    // ---- Per delegation -------------------------------------------------------------------------

    [Fact]
    public async Task The_matrix_has_people_in_protocol_order_by_engagements_in_time_order()
    {
        using var admin = Admin();
        var s = await ListsScenario.Create(admin);
        using var viewer = await As(admin, "viewer");

        var matrix = (await viewer.Get($"/api/delegations/{s.ChineseDelegationId}/matrix")).Ok();

        var delegation = matrix.Required("delegation");
        Assert.Equal(s.ChineseDelegationId, delegation.Id());
        Assert.Equal("Chinese delegation", delegation.Str("name"));
        var engagements = matrix.Required("engagements").Items();
        Assert.Equal([s.PlenaryId, s.BanquetId, s.LabId, s.FlightId], engagements.Select(e => e.Id()));
        var plenary = engagements[0];
        Assert.Equal("Plenary", plenary.Str("title"));
        Assert.Equal("meeting", plenary.Str("kind"));
        PlanningAssert.LocalTime("2025-11-11T10:00", plenary.Required("start"));
        Assert.Equal("Asia/Shanghai", plenary.Str("timeZone"));
        Assert.False(string.IsNullOrEmpty(plenary.Str("status")));

        var people = matrix.Required("people").Items();
        Assert.Equal([s.Li, s.Zhou, s.Gao], people.Select(p => p.Str("personId")));
        Assert.Equal("Professor Li Wei", people[0].Str("fullName"));
        Assert.Equal("李伟", people[0].Str("localName"));
        Assert.All(people, p => Assert.Equal(4, p.Required("cells").Items().Count));

        var zhou = people[1].Required("cells").Items();
        Assert.Equal(s.PlenaryId, zhou[0].Str("engagementId"));
        Assert.Equal("accepted", zhou[0].Str("response"));
        Assert.Equal("attending", zhou[0].Str("attendance"));
        Assert.Equal(JsonValueKind.Null, zhou[1].ValueKind);
        Assert.Equal("accepted", zhou[2].Str("response"));
        Assert.Equal("waiting", zhou[2].Str("attendance"));
        Assert.Equal(1, zhou[2].Required("waitingPosition").GetInt32());
        Assert.Equal(JsonValueKind.Null, zhou[3].ValueKind);

        var li = people[0].Required("cells").Items();
        Assert.Equal("attending", li[2].Str("attendance"));
        Assert.Equal("needs-action", li[3].Str("response"));
        var gao = people[2].Required("cells").Items();
        Assert.Equal("tentative", gao[0].Str("response"));
        Assert.Equal("needs-action", gao[2].Str("response"));
    }

    [Fact]
    public async Task The_matrix_as_csv_has_one_row_per_person_and_one_column_per_engagement()
    {
        using var api = Admin();
        var s = await ListsScenario.Create(api);

        var rows = ListAssert.Csv(await api.Get($"/api/delegations/{s.ChineseDelegationId}/matrix", "text/csv"));

        Assert.Equal(4, rows.Count);
        var header = rows[0];
        Assert.Equal(["protocol_order", "full_name", "local_name", "organisation", "title"], header.Take(5));
        Assert.Equal(9, header.Count);
        Assert.Contains("Plenary", header[5], StringComparison.Ordinal);
        Assert.Contains("2025-11-11 10:00", header[5], StringComparison.Ordinal);
        Assert.StartsWith("'" + ListsScenario.BanquetTitle, header[6], StringComparison.Ordinal);
        Assert.Contains(ListsScenario.LabTitle, header[7], StringComparison.Ordinal);
        Assert.Contains("2025-11-12 14:00", header[7], StringComparison.Ordinal);

        Assert.Equal(["Professor Li Wei", "Dr Zhou Min", "Ms Gao Yan"], rows.Skip(1).Select(r => r[1]));
        var zhou = rows[2];
        Assert.Equal("周敏", zhou[2]);
        Assert.Equal("'" + ListsScenario.FormulaOrganisation, zhou[3]);
        Assert.Contains("accepted", zhou[5], StringComparison.Ordinal);
        Assert.Equal(string.Empty, zhou[6]);
        Assert.Contains("waiting", zhou[7], StringComparison.Ordinal);
        Assert.Contains("1", zhou[7], StringComparison.Ordinal);
        Assert.Equal(string.Empty, zhou[8]);
        Assert.Contains("needs-action", rows[1][8], StringComparison.Ordinal);
    }

    // ---- Per programme --------------------------------------------------------------------------

    [Fact]
    public async Task The_summary_counts_replies_places_and_the_waiting_list_per_engagement_in_time_order()
    {
        using var api = Admin();
        var s = await ListsScenario.Create(api);

        var summary = (await api.Get($"/api/programmes/{s.Jcm.ProgrammeId}/attendance-summary")).Ok();

        var rows = summary.Required("engagements").Items();
        Assert.Equal([s.PlenaryId, s.BanquetId, s.LabId, s.FlightId], rows.Select(r => r.Str("engagementId")));
        var lab = rows[2];
        Assert.Equal(4, lab.Required("invited").GetInt32());
        Assert.Equal(2, lab.Required("accepted").GetInt32());
        Assert.Equal(1, lab.Required("declined").GetInt32());
        Assert.Equal(0, lab.Required("tentative").GetInt32());
        Assert.Equal(1, lab.Required("noReply").GetInt32());
        Assert.Equal(1, lab.Required("attending").GetInt32());
        Assert.Equal(1, lab.Required("waiting").GetInt32());
        Assert.Equal(1, lab.Required("capacity").GetInt32());
        Assert.Equal(0, lab.Required("placesLeft").GetInt32());

        var plenary = rows[0];
        Assert.Equal(3, plenary.Required("attending").GetInt32());
        Assert.Equal(1, plenary.Required("tentative").GetInt32());
        Assert.Equal(200, plenary.Required("capacity").GetInt32()); // the venue's
        Assert.Equal(197, plenary.Required("placesLeft").GetInt32());

        var banquet = rows[1];
        Assert.Equal(0, banquet.Required("invited").GetInt32());
        var flight = rows[3];
        Assert.Equal(JsonValueKind.Null, flight.Required("capacity").ValueKind); // an airport without a capacity: unlimited
        Assert.Equal(JsonValueKind.Null, flight.Required("placesLeft").ValueKind);
        Assert.Equal(1, flight.Required("noReply").GetInt32());
    }

    [Fact]
    public async Task The_summary_has_dietary_counts_of_people_with_a_place_for_organisers_only()
    {
        using var admin = Admin();
        var s = await ListsScenario.Create(admin);
        using var organiser = await As(admin, "organiser");
        using var viewer = await As(admin, "viewer");

        var rows = (await organiser.Get($"/api/programmes/{s.Jcm.ProgrammeId}/attendance-summary")).Ok().Required("engagements").Items();

        // Plenary: Li "Vegetarian" and Zhou " vegetarian " are one requirement; Ellery is halal; Gao (tentative) is not counted.
        var plenary = Dietary(rows[0]);
        Assert.Equal(2, plenary.Count);
        Assert.Equal(2, plenary.Single(d => string.Equals(d.Requirement, "vegetarian", StringComparison.OrdinalIgnoreCase)).Count);
        Assert.Equal(1, plenary.Single(d => d.Requirement == "Halal").Count);
        // Lab: only Li has the place (Zhou waits, Ellery declined).
        Assert.Equal(1, Assert.Single(Dietary(rows[2])).Count);
        Assert.Empty(Dietary(rows[1]));
        // Only counts: nobody's name or id travels with them.
        Assert.DoesNotContain(s.Li, rows[0].Required("dietary").GetRawText(), StringComparison.Ordinal);

        var forViewer = (await viewer.Get($"/api/programmes/{s.Jcm.ProgrammeId}/attendance-summary")).Ok().Required("engagements").Items();
        Assert.All(forViewer, r => Assert.Equal(JsonValueKind.Undefined, r.Prop("dietary").ValueKind));
        Assert.Equal(1, forViewer[2].Required("waiting").GetInt32());
    }

    [Fact]
    public async Task The_summary_as_csv_has_fixed_columns_then_dietary_columns_for_organisers()
    {
        using var admin = Admin();
        var s = await ListsScenario.Create(admin);
        using var viewer = await As(admin, "viewer");
        string[] fixedColumns =
        [
            "engagement_id", "title", "kind", "start", "time_zone", "status", "invited", "accepted", "declined", "tentative", "no_reply",
            "attending", "waiting", "capacity", "places_left",
        ];

        var rows = ListAssert.Csv(await admin.Get($"/api/programmes/{s.Jcm.ProgrammeId}/attendance-summary?format=csv"));

        Assert.Equal(fixedColumns, rows[0].Take(fixedColumns.Length));
        Assert.Equal(["dietary: Halal", "dietary: Vegetarian"], rows[0].Skip(fixedColumns.Length));
        Assert.Equal(5, rows.Count);
        var banquet = ListAssert.RowWith(rows, s.BanquetId);
        Assert.Equal("'" + ListsScenario.BanquetTitle, ListAssert.Cell(rows, banquet, "title")); // Chinese intact, formula neutralised
        var lab = ListAssert.RowWith(rows, s.LabId);
        Assert.Equal("1", ListAssert.Cell(rows, lab, "attending"));
        Assert.Equal("1", ListAssert.Cell(rows, lab, "waiting"));
        Assert.Equal("0", ListAssert.Cell(rows, lab, "places_left"));
        Assert.Equal("1", ListAssert.Cell(rows, lab, "dietary: Vegetarian"));
        Assert.Equal("0", ListAssert.Cell(rows, lab, "dietary: Halal"));
        Assert.Equal("2", ListAssert.Cell(rows, ListAssert.RowWith(rows, s.PlenaryId), "dietary: Vegetarian"));
        Assert.Equal(string.Empty, ListAssert.Cell(rows, ListAssert.RowWith(rows, s.FlightId), "places_left"));

        var forViewer = ListAssert.Csv(await viewer.Get($"/api/programmes/{s.Jcm.ProgrammeId}/attendance-summary", "text/csv"));
        Assert.Equal(fixedColumns, forViewer[0]);
    }

    // ---- Host access list -----------------------------------------------------------------------

    [Fact]
    public async Task The_access_list_has_only_people_with_a_place_and_only_what_a_host_needs()
    {
        using var admin = Admin();
        var s = await ListsScenario.Create(admin);
        using var organiser = await As(admin, "organiser");

        var lab = (await organiser.Get($"/api/engagements/{s.LabId}/access-list")).Ok();

        Assert.Equal(s.LabId, lab.Required("engagement").Id());
        var li = Assert.Single(lab.Required("people").Items()); // not Zhou (waiting), Ellery (declined) or Gao (no reply)
        Assert.Equal("Professor Li Wei", li.Str("fullName"));
        Assert.Equal("李伟", li.Str("localName"));
        Assert.Equal("Ministry of Science and Technology", li.Str("organisation"));
        Assert.Equal("Vice Minister", li.Str("title"));
        Assert.Equal("CN", li.Str("nationality"));
        Assert.Equal(["fullName", "localName", "organisation", "title", "nationality"], li.EnumerateObject().Select(p => p.Name));
        foreach (var secret in new[] { "Vegetarian", "Step-free", "cleared", "@example.org" })
        {
            Assert.DoesNotContain(secret, lab.GetRawText(), StringComparison.OrdinalIgnoreCase);
        }

        // Plenary: delegation then protocol order; Gao (tentative) has no place.
        var plenary = (await organiser.Get($"/api/engagements/{s.PlenaryId}/access-list")).Ok().Required("people").Items();
        Assert.Equal(["Professor Margaret Ellery", "Professor Li Wei", "Dr Zhou Min"], plenary.Select(p => p.Str("fullName")));
        Assert.Equal("GB", plenary[0].Str("nationality"));
    }

    [Fact]
    public async Task The_access_list_as_csv_neutralises_formulas_and_keeps_chinese_names()
    {
        using var api = Admin();
        var s = await ListsScenario.Create(api);

        var rows = ListAssert.Csv(await api.Get($"/api/engagements/{s.PlenaryId}/access-list?format=csv"));

        Assert.Equal(["full_name", "local_name", "organisation", "title", "nationality"], rows[0]);
        Assert.Equal(4, rows.Count);
        var zhou = ListAssert.RowWith(rows, "Dr Zhou Min");
        Assert.Equal(["Dr Zhou Min", "周敏", "'" + ListsScenario.FormulaOrganisation, "Director", "CN"], zhou);
        Assert.DoesNotContain(rows, r => r[0] == "Ms Gao Yan");
    }

    [Fact]
    public async Task A_travel_leg_has_no_access_list()
    {
        using var api = Admin();
        var s = await ListsScenario.Create(api);

        PlanningAssert.Problem(await api.Get($"/api/engagements/{s.FlightId}/access-list"), HttpStatusCode.Conflict);
    }

    // ---- Bad ids and logs -----------------------------------------------------------------------

    [Theory]
    [InlineData("/api/engagements/{0}/attendees")]
    [InlineData("/api/engagements/{0}/attendees?format=csv")]
    [InlineData("/api/engagements/{0}/attendees?include=logistics")]
    [InlineData("/api/delegations/{0}/matrix")]
    [InlineData("/api/delegations/{0}/matrix?format=csv")]
    [InlineData("/api/programmes/{0}/attendance-summary")]
    [InlineData("/api/engagements/{0}/access-list")]
    [InlineData("/api/engagements/{0}/access-list?format=csv")]
    public async Task Unknown_or_malformed_ids_are_404(string template)
    {
        using var api = Admin();
        foreach (var id in new[] { Guid.NewGuid().ToString(), "not-a-uuid" })
        {
            PlanningAssert.Problem(await api.Get(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, id)), HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task Logistics_never_reach_the_logs()
    {
        using var admin = Admin();
        var s = await ListsScenario.Create(admin);
        var marker = Guid.NewGuid().ToString("N")[..12];
        string[] secrets = [$"kosher-{marker}", $"wheelchair-{marker}", $"uzbek-{marker}", $"clearance-{marker}"];
        await ListsScenario.PutLogistics(admin, s.Gao, new
        {
            dietary = secrets[0], accessibility = secrets[1], interpreterLanguage = secrets[2], nationality = "CN", securityClearance = secrets[3],
        });
        await admin.SetResponse(s.PlenaryId, s.Gao, "accepted");
        using var viewer = await As(admin, "viewer");

        foreach (var path in new[]
        {
            $"/api/engagements/{s.PlenaryId}/attendees?include=logistics",
            $"/api/engagements/{s.PlenaryId}/attendees?include=logistics&format=csv",
            $"/api/programmes/{s.Jcm.ProgrammeId}/attendance-summary",
            $"/api/programmes/{s.Jcm.ProgrammeId}/attendance-summary?format=csv",
            $"/api/engagements/{s.PlenaryId}/access-list",
        })
        {
            (await admin.Get(path)).Expect(HttpStatusCode.OK);
        }

        Assert.Contains(secrets[1], (await admin.Get($"/api/engagements/{s.PlenaryId}/attendees?include=logistics")).Text, StringComparison.Ordinal);
        (await viewer.Get($"/api/engagements/{s.PlenaryId}/attendees?include=logistics")).Expect(HttpStatusCode.Forbidden);

        var lines = fixture.Logs.Lines;
        // The capture works: the requests themselves were logged (with their paths), at Debug and up.
        Assert.Contains(lines, l => l.Contains($"/api/engagements/{s.PlenaryId}/attendees", StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    private static List<(string Requirement, int Count)> Dietary(JsonElement row) =>
        [.. row.Required("dietary").Items().Select(d => (d.Str("requirement"), d.Required("count").GetInt32()))];
}
