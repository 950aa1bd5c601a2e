using CommissionPlanner.Web.Tests.Infrastructure;

namespace CommissionPlanner.Web.Tests.Planning;

public sealed class RestartTests
{
    [Fact]
    public async Task A_programme_with_an_engagement_and_attendee_survives_a_restart_of_the_host()
    {
        var connectionString = await TestDatabase.CreateAsync("restart");
        var clusterId = $"test-{Guid.NewGuid():N}";

        string programmeId, engagementId, flightId, personId, delegationId, venueId;
        string version;
        await using (var before = new PlannerApp(connectionString, clusterId))
        {
            await TwoHostFixture.WaitUntilReady(before);
            using var api = new PlanningClient(before.AdminClient());
            var jcm = await Jcm.SetUp(api);
            programmeId = jcm.ProgrammeId;
            delegationId = jcm.DelegationId;
            venueId = jcm.CcusCentre;
            personId = (await api.AddMember(jcm.DelegationId, "Dr Jonathan Whitcombe", "head", title: "Minister of State")).Id();
            var flight = await api.CreateTravelLeg(jcm.ProgrammeId, jcm.BeijingAirport, jcm.GuangzhouAirport,
                "2025-11-12T09:30", "2025-11-12T12:30", "Flight to Guangzhou", "flight", "CA 1351");
            flightId = flight.Id();
            var visit = await api.CreateMeeting(jcm.ProgrammeId, jcm.CcusCentre, "2025-11-12T14:00", "2025-11-12T16:00", "Visit to the CCUS Centre", "site-visit", capacity: 12);
            engagementId = visit.Id();
            await api.AddAttendee(flightId, personId);
            await api.AddAttendee(engagementId, personId, "chair");
            await api.SetResponse(engagementId, personId, "accepted");
            version = (await api.GetEngagement(engagementId)).VersionText();
        }

        await using var after = new PlannerApp(connectionString, clusterId);
        await TwoHostFixture.WaitUntilReady(after);
        using var again = new PlanningClient(after.AdminClient());

        Assert.Equal(Jcm.ProgrammeName, (await again.GetJson($"/api/programmes/{programmeId}")).Str("name"));
        Assert.Equal("中英（广东）CCUS中心", (await again.GetJson($"/api/venues/{venueId}")).Str("localName"));
        Assert.Contains((await again.GetJson($"/api/delegations/{delegationId}")).Required("members").Items(), m => m.Id() == personId);

        var engagement = await again.GetEngagement(engagementId);
        Assert.Equal("Visit to the CCUS Centre", engagement.Str("title"));
        PlanningAssert.LocalTime("2025-11-12T14:00", engagement.Required("start"));
        Assert.Equal("2025-11-12T06:00:00Z", engagement.Str("startUtc"));
        Assert.Equal(12, engagement.Required("capacity").GetInt32());
        Assert.Equal(version, engagement.VersionText());

        var flightAfter = await again.GetEngagement(flightId);
        Assert.Equal("travel", flightAfter.Str("kind"));
        PlanningAssert.LocalTime("2025-11-12T12:30", flightAfter.Required("end"));

        var attendee = Assert.Single((await again.GetAttendees(engagementId)).Items());
        Assert.Equal(personId, attendee.Str("personId"));
        Assert.Equal("chair", attendee.Str("role"));
        Assert.Equal("accepted", attendee.Str("response"));

        var entries = (await again.GetItinerary(personId)).Required("entries").Items();
        Assert.Equal([flightId, engagementId], entries.Select(e => e.Str("engagementId")).ToArray());
        Assert.Equal(2, (await again.ListEngagements(programmeId)).Items().Count);

        // The person's time is still booked after the restart: an overlapping add is refused.
        var overlapping = await again.CreateMeeting(programmeId, venueId, "2025-11-12T15:00", "2025-11-12T16:30", "Press at the centre", "press");
        PlanningAssert.ConflictsName(await again.TryAddAttendee(overlapping.Id(), personId), engagementId);
    }
}
