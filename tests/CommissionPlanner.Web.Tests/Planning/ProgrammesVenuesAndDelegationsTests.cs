using System.Net;
using CommissionPlanner.Web.Tests.Infrastructure;

namespace CommissionPlanner.Web.Tests.Planning;

public sealed class ProgrammesVenuesAndDelegationsTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private PlanningClient Api() => new(fixture.App.AdminClient());

    [Fact]
    public async Task A_created_programme_answers_201_with_location_and_reads_back_by_id_and_in_the_list()
    {
        using var api = Api();
        var created = await api.TryCreateProgramme(new
        {
            name = Jcm.ProgrammeName,
            startDate = "2025-11-10",
            endDate = "2025-11-13",
            timeZone = "Asia/Shanghai",
            areas = Jcm.AgreedAreas,
        });
        var programme = created.Created();

        Assert.Equal(Jcm.ProgrammeName, programme.Str("name"));
        Assert.Equal("2025-11-10", programme.Str("startDate"));
        Assert.Equal("2025-11-13", programme.Str("endDate"));
        Assert.Equal("Asia/Shanghai", programme.Str("timeZone"));
        Assert.NotEmpty(programme.VersionText());
        Assert.Equal(Jcm.AgreedAreas.Order(StringComparer.Ordinal), programme.Required("areas").Items().Select(a => a.GetString()!).Order(StringComparer.Ordinal));

        var byLocation = await api.GetJson(created.Location!.OriginalString);
        Assert.Equal(programme.Id(), byLocation.Id());
        var byId = await api.GetJson($"/api/programmes/{programme.Id()}");
        Assert.Equal(Jcm.ProgrammeName, byId.Str("name"));

        var list = await api.GetJson("/api/programmes");
        Assert.Contains(list.Items(), p => p.Id() == programme.Id());
    }

    [Fact]
    public async Task A_venue_keeps_its_local_name_zone_coordinates_and_capacity()
    {
        using var api = Api();
        var created = await api.TryCreateVenue(Jcm.Diaoyutai());
        var venue = created.Created();

        var read = await api.GetJson($"/api/venues/{venue.Id()}");
        Assert.Equal("Diaoyutai State Guesthouse", read.Str("name"));
        Assert.Equal("钓鱼台国宾馆", read.Str("localName"));
        Assert.Equal("Beijing", read.Str("city"));
        Assert.Equal("CN", read.Str("country"));
        Assert.Equal("Asia/Shanghai", read.Str("timeZone"));
        Assert.Equal(39.9169, read.Required("latitude").GetDouble(), 4);
        Assert.Equal(116.3279, read.Required("longitude").GetDouble(), 4);
        Assert.Equal(200, read.Required("capacity").GetInt32());
        Assert.NotEmpty(read.VersionText());

        var byLocation = await api.GetJson(created.Location!.OriginalString);
        Assert.Equal(venue.Id(), byLocation.Id());
    }

    [Fact]
    public async Task Delegation_members_come_back_in_protocol_order_head_first_as_added()
    {
        using var api = Api();
        var programme = await api.CreateProgramme();
        var delegationCreated = await api.Post($"/api/programmes/{programme.Id()}/delegations", new { name = "UK delegation", country = "GB" });
        var delegation = delegationCreated.Created();
        Assert.Equal("GB", delegation.Str("country"));
        Assert.NotEmpty(delegation.VersionText());

        var head = await api.AddMember(delegation.Id(), "Dr Jonathan Whitcombe", "head",
            organisation: "Department for Science, Innovation and Technology (DSIT)", title: "Minister of State for Science, Research and Innovation");
        var academy = await api.AddMember(delegation.Id(), "Professor Margaret Ellery", "member", organisation: "The Royal Society", title: "Foreign Secretary");
        var official = await api.AddMember(delegation.Id(), "Ms Helen Carrow", "official", title: "Director, International Science");
        var support = await api.AddMember(delegation.Id(), "Mr Tom Ashby", "support", title: "Private Secretary");

        var read = await api.GetJson($"/api/delegations/{delegation.Id()}");
        Assert.Equal("UK delegation", read.Str("name"));
        var members = read.Required("members").Items();
        Assert.Equal([head.Id(), academy.Id(), official.Id(), support.Id()], members.Select(m => m.Id()).ToArray());
        Assert.Equal("Dr Jonathan Whitcombe", members[0].Str("fullName"));
        Assert.Equal("head", members[0].Str("role"));

        var byLocation = await api.GetJson(delegationCreated.Location!.OriginalString);
        Assert.Equal(delegation.Id(), byLocation.Id());
    }

    [Fact]
    public async Task A_member_is_a_person_readable_by_id_with_their_local_name()
    {
        using var api = Api();
        var programme = await api.CreateProgramme();
        var delegation = await api.CreateDelegation(programme.Id(), "Chinese delegation", "CN");
        var email = PlanningClient.UniqueEmail("Li Wei");
        var added = await api.TryAddMember(delegation.Id(), new
        {
            fullName = "Professor Li Wei",
            localName = "李伟",
            organisation = "Ministry of Science and Technology",
            title = "Vice Minister",
            email,
            role = "head",
        });
        var person = added.Created();

        var read = await api.GetJson($"/api/people/{person.Id()}");
        Assert.Equal("Professor Li Wei", read.Str("fullName"));
        Assert.Equal("李伟", read.Str("localName"));
        Assert.NotEmpty(read.VersionText());

        var byLocation = await api.GetJson(added.Location!.OriginalString);
        Assert.Equal(person.Id(), byLocation.Id());
    }

    [Theory]
    [InlineData("timeZone", "Mars/Olympus_Mons")]
    [InlineData("latitude", 91.0)]
    [InlineData("longitude", -180.5)]
    [InlineData("capacity", -1)]
    [InlineData("name", null)]
    public async Task A_venue_with_a_bad_field_gets_400_naming_it(string field, object? value)
    {
        using var api = Api();
        var result = await api.TryCreateVenue(Jcm.Diaoyutai().With(field, value));
        PlanningAssert.Problem(result, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_programme_with_an_unknown_time_zone_gets_400_naming_timeZone_and_is_not_listed()
    {
        using var api = Api();
        var name = $"Programme in no zone {Guid.NewGuid():N}";
        var result = await api.TryCreateProgramme(new { name, startDate = "2025-11-10", endDate = "2025-11-13", timeZone = "Asia/Peking_Nowhere", areas = Jcm.AgreedAreas });
        PlanningAssert.Problem(result, HttpStatusCode.BadRequest, "timeZone");

        var list = await api.GetJson("/api/programmes");
        Assert.DoesNotContain(list.Items(), p => p.Prop("name").ValueKind == System.Text.Json.JsonValueKind.String && p.Str("name") == name);
    }

    [Fact]
    public async Task The_same_email_twice_in_a_delegation_is_refused_and_the_members_are_unchanged()
    {
        using var api = Api();
        var programme = await api.CreateProgramme();
        var delegation = await api.CreateDelegation(programme.Id());
        var email = PlanningClient.UniqueEmail("Rajiv Sandhu");
        await api.AddMember(delegation.Id(), "Professor Rajiv Sandhu", email: email);

        var again = await api.TryAddMember(delegation.Id(), new
        {
            fullName = "Prof. R. Sandhu",
            organisation = "Royal Academy of Engineering",
            title = "International Secretary",
            email = email.ToUpperInvariant(),
            role = "member",
        });

        // The contract allows either: 409 (conflicts with the current state) or 400 naming the field.
        Assert.True(again.Status is HttpStatusCode.Conflict or HttpStatusCode.BadRequest, again.Describe());
        PlanningAssert.Problem(again, again.Status, again.Status == HttpStatusCode.BadRequest ? "email" : null);

        var read = await api.GetJson($"/api/delegations/{delegation.Id()}");
        Assert.Single(read.Required("members").Items());
    }

    [Theory]
    [InlineData("role", "emperor")]
    [InlineData("fullName", null)]
    public async Task A_member_with_a_bad_field_gets_400_naming_it(string field, string? value)
    {
        using var api = Api();
        var programme = await api.CreateProgramme();
        var delegation = await api.CreateDelegation(programme.Id());
        var body = PlanningClient.Body(
            ("fullName", "Professor Catherine Oduya"),
            ("organisation", "Academy of Medical Sciences"),
            ("title", "Foreign Secretary"),
            ("email", PlanningClient.UniqueEmail("Catherine Oduya")),
            ("role", "member")).With(field, value);
        PlanningAssert.Problem(await api.TryAddMember(delegation.Id(), body), HttpStatusCode.BadRequest, field);
    }

    [Theory]
    [InlineData("/api/programmes/{0}")]
    [InlineData("/api/venues/{0}")]
    [InlineData("/api/delegations/{0}")]
    [InlineData("/api/people/{0}")]
    [InlineData("/api/people/{0}/itinerary")]
    [InlineData("/api/engagements/{0}")]
    [InlineData("/api/engagements/{0}/attendees")]
    [InlineData("/api/programmes/{0}/engagements")]
    [InlineData("/api/programmes/{0}/conflicts")]
    public async Task An_unknown_or_malformed_id_in_the_path_is_404(string pathFormat)
    {
        using var api = Api();
        foreach (var id in new[] { Guid.NewGuid().ToString(), "not-a-uuid" })
        {
            var result = await api.Get(string.Format(System.Globalization.CultureInfo.InvariantCulture, pathFormat, id));
            PlanningAssert.Problem(result, HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task Posting_under_an_unknown_programme_or_delegation_is_404()
    {
        using var api = Api();
        PlanningAssert.Problem(await api.Post($"/api/programmes/{Guid.NewGuid()}/delegations", new { name = "UK delegation", country = "GB" }), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await api.Post("/api/programmes/not-a-uuid/delegations", new { name = "UK delegation", country = "GB" }), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await api.TryAddMember(Guid.NewGuid().ToString(), new
        {
            fullName = "Dr Jonathan Whitcombe",
            organisation = "DSIT",
            title = "Minister",
            email = PlanningClient.UniqueEmail("Whitcombe"),
            role = "head",
        }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Malformed_json_on_a_planning_route_gets_400_problem_details()
    {
        using var api = Api();
        PlanningAssert.Problem(await api.PostRaw("/api/programmes", "{\"name\": \"11th JCM\", "), HttpStatusCode.BadRequest);
        PlanningAssert.Problem(await api.PostRaw("/api/venues", "[1, 2"), HttpStatusCode.BadRequest);
    }
}
