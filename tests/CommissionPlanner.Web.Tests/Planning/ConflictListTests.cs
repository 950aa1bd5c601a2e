using System.Net.Http.Json;
using System.Text.Json;
using CommissionPlanner.Data;
using CommissionPlanner.Data.Queries;
using CommissionPlanner.Domain;
using CommissionPlanner.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommissionPlanner.Web.Tests.Planning;

/// <summary>
/// <c>GET /api/programmes/{id}/conflicts</c> reads the programme's engagements once and each booking as two ids
/// (BookingQueries.HeldByPersonAsync, issue 22). Its answer must be the one the wide read it replaced gave (one row per
/// booking with its engagement and both venues): the same clashes in the same order, on a programme with overlaps,
/// travel clashes (across cities, within a city after a flight between time zones, a missed pickup), interpreter
/// warnings, a declined invitation and a cancelled engagement.
/// </summary>
public sealed class ConflictListTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private PlanningClient Api() => new(fixture.App.AdminClient());

    [Fact]
    public async Task The_conflict_list_is_the_one_the_wide_per_booking_read_gave()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var royalSociety = (await api.CreateVenue(Jcm.Venue("Royal Society", null, "6-9 Carlton House Terrace, London SW1Y 5AG",
            "London", "GB", "Europe/London", 51.5063, -0.1318, 100))).Id();
        var lancaster = (await api.CreateVenue(Jcm.LancasterHouse())).Id();
        var minister = await jcm.NewDelegate(api, "Dr Jonathan Whitcombe");
        var adviser = await jcm.NewDelegate(api, "Dr Amelia Hart");
        var guest = await jcm.NewDelegate(api, "Mr Oliver Penrose");
        var most = (await api.CreateDelegation(jcm.ProgrammeId, "Ministry of Science and Technology", "CN")).Id();
        var viceMinister = (await api.AddMember(most, "Chen Jiachang", "head", localName: "陈家昌", organisation: "MOST", title: "Vice-Minister")).Id();
        var counsellor = (await api.AddMember(most, "Li Wen", "member", organisation: "MOST", title: "Counsellor")).Id();
        await SetLanguages(api, minister, ["en"]);
        await SetLanguages(api, adviser, ["en", "fr"]);
        await SetLanguages(api, viceMinister, ["zh-Hans"]);
        await SetLanguages(api, counsellor, ["zh", "de"]);

        // An overlap: the bilateral moves into the plenary (minister, adviser and the Chinese side on both).
        var plenary = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary");
        var bilateral = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T14:00", "2025-11-11T15:00", "Bilateral with MOST");
        foreach (var person in new[] { minister, adviser, viceMinister, counsellor })
        {
            await api.AddAttendee(plenary.Id(), person);
            await api.AddAttendee(bilateral.Id(), person);
        }

        await api.PatchEngagement(bilateral.Id(), new { start = "2025-11-11T12:00", end = "2025-11-11T13:00" });

        // A cancelled engagement moved into the plenary, and a declined one overlapping it: neither holds time.
        var visit = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T16:00", "2025-11-11T17:00", "Visit to Tsinghua ICON", "site-visit");
        var reception = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T18:30", "2025-11-11T20:30", "Reception", "reception");
        await api.AddAttendee(visit.Id(), minister);
        await api.AddAttendee(reception.Id(), minister, "optional");
        await api.AddAttendee(reception.Id(), guest, "optional");
        await api.SetResponse(reception.Id(), guest, "declined");
        await api.PatchEngagement(visit.Id(), new { start = "2025-11-11T11:00", end = "2025-11-11T12:00" });
        await api.CancelEngagement(visit.Id(), "Postponed at the institute's request.");
        var dinner = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T21:00", "2025-11-11T22:00", "Working dinner");
        await api.AddAttendee(dinner.Id(), guest);
        await api.PatchEngagement(dinner.Id(), new { start = "2025-11-11T19:00", end = "2025-11-11T21:00" });

        // A travel clash between cities: the lab visit moves 1,900 km to Guangzhou, its times kept.
        var breakfast = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-12T08:00", "2025-11-12T09:00", "Breakfast bilateral");
        var lab = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-12T11:00", "2025-11-12T12:00", "Lab visit", "site-visit");
        foreach (var person in new[] { minister, adviser })
        {
            await api.AddAttendee(breakfast.Id(), person);
            await api.AddAttendee(lab.Id(), person);
        }

        await api.PatchEngagement(lab.Id(), new { venueId = jcm.CcusCentre });

        // A missed pickup: the flight to Guangzhou is delayed past the transfer.
        var flight = await api.CreateTravelLeg(jcm.ProgrammeId, jcm.BeijingAirport, jcm.GuangzhouAirport, "2025-11-13T13:00", "2025-11-13T16:10",
            "Flight CA1315 to Guangzhou", reference: "CA1315");
        var pickup = await api.CreateTravelLeg(jcm.ProgrammeId, jcm.GuangzhouAirport, jcm.CcusCentre, "2025-11-13T16:30", "2025-11-13T17:30",
            "Pickup at Baiyun", mode: "car");
        await api.AddAttendee(flight.Id(), adviser);
        await api.AddAttendee(pickup.Id(), adviser);
        await api.PatchEngagement(flight.Id(), new { arrival = "2025-11-13T16:55" });

        // A leg across time zones (Beijing to London), then a meeting at another London venue moved to 10 minutes after
        // landing: a same-city travel clash, in London time.
        var home = await api.CreateTravelLeg(jcm.ProgrammeId, jcm.BeijingAirport, lancaster, "2025-11-14T13:00", "2025-11-14T17:30",
            "Flight home", "flight", "BA 038");
        var debrief = await api.CreateMeeting(jcm.ProgrammeId, royalSociety, "2025-11-15T10:00", "2025-11-15T11:00", "Debrief", timeZone: "Europe/London");
        await api.AddAttendee(home.Id(), minister);
        await api.AddAttendee(debrief.Id(), minister);
        await api.PatchEngagement(debrief.Id(), new { start = "2025-11-14T17:40", end = "2025-11-14T18:30" });

        var programmeId = Guid.Parse(jcm.ProgrammeId);
        var expected = await TheWideRead(programmeId);
        var actual = (await api.GetConflicts(jcm.ProgrammeId)).Items().Select(Row).ToList();

        Assert.Equal(expected, actual);
        // The programme has what the comparison is about.
        Assert.Contains(actual, c => c.Kind == "overlap");
        Assert.Contains(actual, c => c.Kind == "travel" && c.Detail.Contains("Guangzhou", StringComparison.Ordinal));
        Assert.Contains(actual, c => c.Kind == "travel" && c.Detail.Contains("pickup", StringComparison.Ordinal) && c.MinutesShort == 25);
        Assert.Contains(actual, c => c.Kind == "travel" && c.Detail.Contains("London", StringComparison.Ordinal) && c.MinutesShort == 5);
        Assert.Contains(actual, c => c.Kind == "interpreter");
        Assert.DoesNotContain(actual, c => c.EngagementIds.Contains(visit.Id(), StringComparison.Ordinal));
        Assert.DoesNotContain(actual, c => c.PersonId == guest);
    }

    private sealed record ConflictRow(string PersonId, string Kind, string EngagementIds, string Detail, int? MinutesShort);

    private static ConflictRow Row(JsonElement c) => new(
        c.Str("personId"), c.Str("kind"), string.Join(",", c.Required("engagementIds").Items().Select(i => i.GetString())), c.Str("detail"),
        c.TryGetProperty("minutesShort", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt32() : null);

    /// <summary>
    /// PlanningQueries.Conflicts as it was before issue 22: every booking of the programme as one wide row (its engagement
    /// and both venues), a slot per row, each person's slots through ItineraryRules.AllClashes, then the interpreter gaps.
    /// </summary>
    private async Task<List<ConflictRow>> TheWideRead(Guid programmeId)
    {
        var travel = fixture.App.Services.GetRequiredService<IOptions<TravelOptions>>().Value;
        var factory = fixture.App.Services.GetRequiredService<IDbContextFactory<PlannerDbContext>>();
        await using var db = await factory.CreateDbContextAsync(Cancel);
        var bookings = await (
            from a in db.Attendees.Where(a => db.Engagements.Any(e => e.Id == a.EngagementId && e.ProgrammeId == programmeId))
            join e in db.Engagements on a.EngagementId equals e.Id
            join origin in db.Venues on e.FromVenueId equals origin.Id
            join destination in db.Venues on e.ToVenueId equals destination.Id
            select new
            {
                a.PersonId, a.Response, e.Id, e.Title, e.Kind, e.TravelMode, e.Status, e.StartUtc, e.EndUtc,
                FromId = origin.Id, FromCity = origin.City, FromCountry = origin.Country, FromLat = origin.Latitude, FromLon = origin.Longitude,
                ToId = destination.Id, ToCity = destination.City, ToCountry = destination.Country, ToLat = destination.Latitude, ToLon = destination.Longitude,
            })
            .AsNoTracking().ToListAsync(Cancel);
        var interpreting = await ItineraryRows.InterpreterGapsAsync(db, programmeId, Cancel);
        return [.. bookings
            .Where(b => BookingQueries.HoldsTime(b.Status, b.Response))
            .GroupBy(b => b.PersonId)
            .SelectMany(g => ItineraryRules.AllClashes(
                    [.. g.Select(b => new BookedSlot(b.Id, b.Title, b.Kind, b.StartUtc, b.EndUtc,
                        new Place(b.FromId, b.FromCity, b.FromCountry, new GeoPoint(b.FromLat, b.FromLon)),
                        new Place(b.ToId, b.ToCity, b.ToCountry, new GeoPoint(b.ToLat, b.ToLon)), b.TravelMode))],
                    travel)
                .Select(c => (PersonId: g.Key, Row: new ConflictRow(g.Key.ToString(), ClashKinds.ToWire(c.Kind), string.Join(",", c.EngagementIds), c.Detail, c.MinutesShort))))
            .Concat(interpreting.Select(i => (PersonId: i.Gap.PersonId,
                Row: new ConflictRow(i.Gap.PersonId.ToString(), ClashKinds.ToWire(ClashKind.Interpreter), i.EngagementId.ToString(), i.Gap.Detail(i.Title), null))))
            .OrderBy(c => c.PersonId)
            .Select(c => c.Row)];
    }

    private static async Task SetLanguages(PlanningClient api, string personId, string[] languages) =>
        (await api.Send(HttpMethod.Put, $"/api/people/{personId}/languages", JsonContent.Create(new { languages, interprets = Array.Empty<string>() }))).Ok();
}
