using System.Net;
using System.Text;
using System.Text.Json;
using CommissionPlanner.Tests.IcalValidation;
using CommissionPlanner.Web.Tests.Feeds;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Logistics;

/// <summary>Hotels and transfers through the API, on a real host and PostgreSQL (docs/logistics.md).</summary>
public sealed class HotelsAndTransfersTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private PlanningClient Api() => new(fixture.App.AdminClient());

    internal static Dictionary<string, object?> BeijingHotel() => Jcm.Venue(
        "Wenjin Hotel", "文津国际酒店", "1 Zhongguancun East Road, Haidian District, Beijing 100084", "Beijing", "CN", "Asia/Shanghai", 39.9995, 116.3264, null);

    [Fact]
    public async Task A_block_over_allocated_is_refused_with_the_numbers_and_a_shared_room_takes_none()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var hotel = (await api.CreateVenue(BeijingHotel())).Id();
        var block = await api.Post($"/api/programmes/{jcm.ProgrammeId}/room-blocks",
            new { hotelId = hotel, firstNight = "2025-11-10", lastNight = "2025-11-12", rooms = 2 });
        Assert.Equal([2, 2, 2], block.Ok().Items().Select(n => n.Prop("rooms").GetInt32()));

        var minister = await jcm.NewDelegate(api, "Lord Vallance");
        var academic = await jcm.NewDelegate(api, "Professor Ada Hale");
        var official = await jcm.NewDelegate(api, "Sam Official");
        var aide = await jcm.NewDelegate(api, "Kim Aide");
        (await BookStay(api, minister, hotel, "2025-11-10", "2025-11-13")).Created();
        (await BookStay(api, academic, hotel, "2025-11-11", "2025-11-13")).Created();

        var full = await BookStay(api, official, hotel, "2025-11-11", "2025-11-12");
        PlanningAssert.Problem(full, HttpStatusCode.Conflict);
        Assert.Equal(2, full.Json.Prop("rooms").GetInt32());
        Assert.Equal(2, full.Json.Prop("allocated").GetInt32());
        Assert.Contains("2025-11-11", full.Json.Str("detail"), StringComparison.Ordinal);

        // The night of the 10th still has a room; a guest sharing the minister's twin takes none on any night.
        (await BookStay(api, official, hotel, "2025-11-10", "2025-11-11")).Created();
        var shared = await BookStay(api, aide, hotel, "2025-11-11", "2025-11-13", roomType: "twin", sharingWith: minister);
        Assert.Equal("Lord Vallance", shared.Created().Str("sharingWithName"));

        var nights = (await api.GetJson($"/api/programmes/{jcm.ProgrammeId}/room-blocks?hotelId={hotel}")).Items();
        Assert.Equal(["2025-11-10:2", "2025-11-11:2", "2025-11-12:2"], nights.Select(n => $"{n.Str("night")}:{n.Prop("allocated").GetInt32()}"));

        var lowered = await api.Post($"/api/programmes/{jcm.ProgrammeId}/room-blocks", new { hotelId = hotel, firstNight = "2025-11-11", rooms = 1 });
        PlanningAssert.Problem(lowered, HttpStatusCode.Conflict);
        Assert.Equal(2, lowered.Json.Prop("allocated").GetInt32());

        // One bed a night: a second stay of the same person on one of those nights is refused, at another hotel too.
        var elsewhere = (await api.CreateVenue(BeijingHotel().With("name", "Another hotel"))).Id();
        PlanningAssert.Problem(await BookStay(api, minister, elsewhere, "2025-11-12", "2025-11-14"), HttpStatusCode.Conflict);

        // The host cannot leave while a guest shares the room.
        var ministerStay = (await api.GetJson($"/api/people/{minister}/stays")).Items().Single().Id();
        var leaving = await api.Send(HttpMethod.Delete, $"/api/stays/{ministerStay}");
        PlanningAssert.Problem(leaving, HttpStatusCode.Conflict);
        Assert.Contains("Kim Aide", leaving.Json.Str("detail"), StringComparison.Ordinal);

        var rooming = (await api.GetJson($"/api/programmes/{jcm.ProgrammeId}/rooming-list?night=2025-11-11")).Items();
        Assert.Equal(2, rooming.Count);
        Assert.Contains(rooming, r => r.Str("guest") == "Lord Vallance" && r.Str("sharedWith") == "Kim Aide");
    }

    [Fact]
    public async Task A_vehicle_over_seated_is_refused_and_its_seats_cannot_drop_below_its_passengers()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var hotel = (await api.CreateVenue(BeijingHotel())).Id();
        var car = (await api.Post($"/api/programmes/{jcm.ProgrammeId}/vehicles",
            new { label = "Car 1", seats = 2, driverName = "Li Wei", driverPhone = "+86 138 0013 8000" })).Created();
        Assert.Equal(2, car.Prop("seats").GetInt32());
        var transfer = await CreateTransfer(api, jcm.ProgrammeId, hotel, jcm.BeijingAirport, "2025-11-13T09:00", "2025-11-13T10:00", car.Id());
        Assert.Equal(car.Id(), transfer.Str("vehicleId"));

        var first = await jcm.NewDelegate(api, "One");
        var second = await jcm.NewDelegate(api, "Two");
        var third = await jcm.NewDelegate(api, "Three");
        await api.AddAttendee(transfer.Id(), first);
        await api.AddAttendee(transfer.Id(), second);
        var over = await api.TryAddAttendee(transfer.Id(), third);
        PlanningAssert.Problem(over, HttpStatusCode.Conflict);
        Assert.Equal(2, over.Json.Prop("seats").GetInt32());
        Assert.Equal(2, over.Json.Prop("passengers").GetInt32());

        var smaller = await api.Patch($"/api/vehicles/{car.Id()}", new { seats = 1 });
        PlanningAssert.Problem(smaller, HttpStatusCode.Conflict);
        Assert.Equal(2, smaller.Json.Prop("passengers").GetInt32());

        // A passenger who declines gives the seat up; raising the seats makes room too.
        await api.SetResponse(transfer.Id(), second, "declined");
        await api.AddAttendee(transfer.Id(), third);
        PlanningAssert.Problem(await api.TrySetResponse(transfer.Id(), second, "accepted"), HttpStatusCode.Conflict);
        (await api.Patch($"/api/vehicles/{car.Id()}", new { seats = 3 })).Ok();
        await api.SetResponse(transfer.Id(), second, "accepted");

        // A vehicle is for road transfers only.
        var flight = await api.TryCreateEngagement(jcm.ProgrammeId, PlanningClient.TravelBody(jcm.BeijingAirport, jcm.GuangzhouAirport,
            "2025-11-13T13:00", "2025-11-13T16:10").With("vehicleId", car.Id()));
        PlanningAssert.Problem(flight, HttpStatusCode.BadRequest, "vehicleId");
        var unknown = await api.TryCreateEngagement(jcm.ProgrammeId, TransferBody(hotel, jcm.BeijingAirport, "2025-11-14T09:00", "2025-11-14T10:00", Guid.NewGuid().ToString()));
        PlanningAssert.Problem(unknown, HttpStatusCode.BadRequest, "vehicleId");
    }

    [Fact]
    public async Task A_pickup_before_landing_and_a_late_drop_off_are_travel_conflicts_with_the_minutes_short()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var hotel = (await api.CreateVenue(BeijingHotel())).Id();
        var person = await jcm.NewDelegate(api);
        var flight = await api.CreateTravelLeg(jcm.ProgrammeId, jcm.BeijingAirport, jcm.GuangzhouAirport, "2025-11-13T13:00", "2025-11-13T16:10",
            "Flight CA1315 to Guangzhou", reference: "CA1315");
        var pickup = await api.CreateTravelLeg(jcm.ProgrammeId, jcm.GuangzhouAirport, jcm.CcusCentre, "2025-11-13T16:30", "2025-11-13T17:30",
            "Pickup at Baiyun", mode: "car");
        await api.AddAttendee(flight.Id(), person);
        await api.AddAttendee(pickup.Id(), person);
        Assert.Empty((await api.GetConflicts(jcm.ProgrammeId)).Items());

        // The flight is delayed: it now lands at 16:55, 25 minutes after the pickup leaves.
        var delayed = await api.PatchEngagement(flight.Id(), new { arrival = "2025-11-13T16:55" });
        var warning = Assert.Single(delayed.Prop("warnings").Items());
        Assert.Equal("travel", warning.Str("kind"));
        Assert.Equal(25, warning.Prop("minutesShort").GetInt32());
        var conflict = Assert.Single((await api.GetConflicts(jcm.ProgrammeId)).Items());
        Assert.Equal("travel", conflict.Str("kind"));
        Assert.Equal(25, conflict.Prop("minutesShort").GetInt32());
        Assert.Contains("pickup", conflict.Str("detail"), StringComparison.OrdinalIgnoreCase);
        var itinerary = await api.GetItinerary(person);
        Assert.Equal(25, Assert.Single(itinerary.Prop("warnings").Items()).Prop("minutesShort").GetInt32());

        // A drop-off arriving 30 minutes before the flight leaves is 30 minutes short of the 60-minute check-in.
        var other = await jcm.NewDelegate(api, "Dr Late Arrival");
        var dropOff = await api.CreateTravelLeg(jcm.ProgrammeId, hotel, jcm.BeijingAirport, "2025-11-13T11:30", "2025-11-13T12:30", "Drop-off", mode: "car");
        await api.AddAttendee(dropOff.Id(), other);
        var refused = await api.TryAddAttendee(flight.Id(), other);
        PlanningAssert.Problem(refused, HttpStatusCode.Conflict);
        var clash = Assert.Single(refused.Json.Prop("conflicts").Items());
        Assert.Equal("travel", clash.Str("kind"));
        Assert.Equal(30, clash.Prop("minutesShort").GetInt32());
    }

    [Fact]
    public async Task A_stay_across_a_dst_change_keeps_its_dates_in_the_itinerary_and_the_feed()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api, "Professor Margaret Ellery");
        var london = (await api.CreateVenue(Jcm.Venue("The Goring", null, "15 Beeston Place, London SW1W 0JW", "London", "GB", "Europe/London",
            51.4977, -0.1450, null))).Id();
        var beijing = (await api.CreateVenue(BeijingHotel())).Id();
        // The UK's clocks go forward on 29 March 2026: the stay's nights are the hotel's dates either side.
        (await BookStay(api, world.PersonId, beijing, "2025-11-10", "2025-11-13", confirmation: "WJ-2025-118")).Created();
        (await BookStay(api, world.PersonId, london, "2026-03-28", "2026-03-31")).Created();

        var stays = (await api.GetItinerary(world.PersonId)).Prop("stays").Items();
        Assert.Equal(["2025-11-10/2025-11-13/3", "2026-03-28/2026-03-31/3"],
            stays.Select(s => $"{s.Str("checkIn")}/{s.Str("checkOut")}/{s.Prop("nights").GetInt32()}"));

        var feed = await FeedClient.Create(api, "people", world.PersonId);
        var feeds = new FeedClient(fixture.App);
        var body = (await feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK).Body;
        var text = Encoding.UTF8.GetString(body);
        Assert.Contains("DTSTART;VALUE=DATE:20260328", text, StringComparison.Ordinal);
        Assert.Contains("DTEND;VALUE=DATE:20260331", text, StringComparison.Ordinal);

        var js = await IcalJs.ValidateAsync(body);
        var jsStays = js.Events.Where(e => e.Uid.StartsWith("stay-", StringComparison.Ordinal)).OrderBy(e => e.StartDate).ToList();
        Assert.Equal(["2025-11-10/2025-11-13", "2026-03-28/2026-03-31"], jsStays.Select(e => $"{e.StartDate}/{e.EndDate}"));
        Assert.All(jsStays, e => Assert.True(e.AllDay && e.Transparency == "TRANSPARENT" && e.StartTzid is null or "floating", $"{e.Uid} is not an all-day free event"));
        Assert.Equal("Hotel: The Goring", jsStays[1].Summary);
        Assert.Contains("WJ-2025-118", jsStays[0].Description, StringComparison.Ordinal);

        var py = await PythonIcalendar.ParseAsync(body);
        var pyStays = py.Events.Where(e => e.Uid.StartsWith("stay-", StringComparison.Ordinal)).OrderBy(e => e.StartDate).ToList();
        Assert.Equal(["2025-11-10/2025-11-13", "2026-03-28/2026-03-31"], pyStays.Select(e => $"{e.StartDate}/{e.EndDate}"));
        Assert.All(pyStays, e => Assert.Null(e.StartUtc));

        var busy = await FeedClient.Create(api, "people", world.PersonId, detail: "busy");
        var busyText = Encoding.UTF8.GetString((await feeds.Fetch(busy.Url)).Expect(HttpStatusCode.OK).Body);
        Assert.Contains("SUMMARY:Hotel · London", busyText, StringComparison.Ordinal);
        Assert.DoesNotContain("Goring", busyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rooming_list_and_manifest_csvs_have_a_bom_chinese_names_and_no_formulas()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var hotel = (await api.CreateVenue(BeijingHotel())).Id();
        var wang = (await api.AddMember(jcm.DelegationId, "Wang Xiaoming", "member", "王小明")).Id();
        var formula = (await api.AddMember(jcm.DelegationId, "=HYPERLINK(\"http://x\")", "support")).Id();
        (await BookStay(api, wang, hotel, "2025-11-10", "2025-11-12", confirmation: "+123")).Created();
        (await BookStay(api, formula, hotel, "2025-11-10", "2025-11-11")).Created();
        var van = (await api.Post($"/api/programmes/{jcm.ProgrammeId}/vehicles", new { label = "Minibus 1", seats = 12 })).Created();
        var transfer = await CreateTransfer(api, jcm.ProgrammeId, hotel, jcm.BeijingAirport, "2025-11-12T08:00", "2025-11-12T09:00", van.Id());
        await api.AddAttendee(transfer.Id(), wang);
        await api.AddAttendee(transfer.Id(), formula);

        foreach (var path in new[] { $"/api/programmes/{jcm.ProgrammeId}/rooming-list?format=csv", $"/api/vehicles/{van.Id()}/manifest" })
        {
            var csv = await api.Get(path, accept: "text/csv");
            csv.Expect(HttpStatusCode.OK);
            Assert.Equal("text/csv", csv.MediaType);
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, csv.Bytes.Span[..3].ToArray());
            Assert.Contains("王小明", csv.Text, StringComparison.Ordinal);
            Assert.Contains("'=HYPERLINK", csv.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(",=HYPERLINK", csv.Text, StringComparison.Ordinal);
        }

        var rooming = await api.Get($"/api/programmes/{jcm.ProgrammeId}/rooming-list?format=csv");
        Assert.Contains("'+123", rooming.Text, StringComparison.Ordinal);
        Assert.Equal(4, rooming.Text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length); // header, Wang's two nights, one more
        var manifest = await api.GetJson($"/api/vehicles/{van.Id()}/manifest");
        Assert.Equal(2, Assert.Single(manifest.Prop("transfers").Items()).Prop("passengers").Items().Count);
    }

    [Fact]
    public async Task A_stay_at_a_sensitive_hotel_needs_a_reviewer_and_a_delegate_sees_only_their_own()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var hotel = (await api.CreateVenue(BeijingHotel().With("sensitive", true))).Id();
        var person = await jcm.NewDelegate(api);
        var stay = (await BookStay(api, person, hotel, "2025-11-10", "2025-11-12")).Created();
        Assert.Equal("required", stay.Prop("review").Str("status"));

        using var organiser = new PlanningClient(fixture.App.ClientWithKey(await api.CreateKey("organiser", "organiser")));
        PlanningAssert.Problem(await organiser.Post($"/api/stays/{stay.Id()}/review", new { decision = "approved", note = "fine" }), HttpStatusCode.Forbidden);
        using var reviewer = new PlanningClient(fixture.App.ClientWithKey(await api.CreateKey("reviewer", "reviewer")));
        var approved = (await reviewer.Post($"/api/stays/{stay.Id()}/review", new { decision = "approved", note = "RCAT advice followed" })).Ok();
        Assert.Equal("approved", approved.Prop("review").Str("status"));

        using var self = new PlanningClient(fixture.App.ClientWithKey(await api.CreateKey("self", "delegate", person)));
        var own = Assert.Single((await self.GetJson($"/api/people/{person}/stays")).Items());
        Assert.False(own.Prop("hotel").TryGetProperty("sensitive", out _));
        var otherPerson = await jcm.NewDelegate(api, "Someone Else");
        (await self.Get($"/api/people/{otherPerson}/stays")).Expect(HttpStatusCode.NotFound);
        (await self.Get($"/api/programmes/{jcm.ProgrammeId}/vehicles")).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_hotel_marked_sensitive_later_puts_its_stays_up_for_review_and_a_renamed_hotel_shows_in_the_itinerary()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var hotel = (await api.CreateVenue(BeijingHotel())).Id();
        var person = await jcm.NewDelegate(api);
        var stay = (await BookStay(api, person, hotel, "2025-11-10", "2025-11-12")).Created();
        Assert.Equal("not-required", stay.Prop("review").Str("status"));
        Assert.Equal("Wenjin Hotel", Assert.Single((await api.GetItinerary(person)).Prop("stays").Items()).Prop("hotel").Str("name"));

        (await api.Patch($"/api/venues/{hotel}", new { sensitive = true, name = "Wenjin Hotel (Tsinghua)" })).Ok();

        var after = await api.GetJson($"/api/stays/{stay.Id()}");
        Assert.Equal("required", after.Prop("review").Str("status"));
        Assert.Equal(stay.Prop("version").GetInt32() + 1, after.Prop("version").GetInt32());
        Assert.Equal("Wenjin Hotel (Tsinghua)", Assert.Single((await api.GetItinerary(person)).Prop("stays").Items()).Prop("hotel").Str("name"));
        var history = (await api.GetJson($"/api/audit?entity=stay:{stay.Id()}")).Items();
        Assert.Contains(history, h => h.Str("action") == "venue-changed");
    }

    [Fact]
    public async Task Bad_stay_and_vehicle_input_is_a_400_naming_the_field()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var hotel = (await api.CreateVenue(BeijingHotel())).Id();
        var person = await jcm.NewDelegate(api);
        PlanningAssert.Problem(await BookStay(api, person, hotel, "2025-11-12", "2025-11-12"), HttpStatusCode.BadRequest, "checkOut");
        PlanningAssert.Problem(await BookStay(api, person, Guid.NewGuid().ToString(), "2025-11-10", "2025-11-12"), HttpStatusCode.BadRequest, "hotelId");
        PlanningAssert.Problem(await BookStay(api, person, hotel, "2025-11-10", "2025-11-12", roomType: "penthouse"), HttpStatusCode.BadRequest, "roomType");
        PlanningAssert.Problem(await BookStay(api, person, hotel, "2025-11-10", "2025-11-12", sharingWith: person, roomType: "twin"), HttpStatusCode.Conflict);
        PlanningAssert.Problem(await api.Post($"/api/programmes/{jcm.ProgrammeId}/vehicles", new { label = "Bus", seats = 0 }), HttpStatusCode.BadRequest, "seats");
        PlanningAssert.Problem(await api.Post($"/api/programmes/{jcm.ProgrammeId}/vehicles", new { label = "Bus", seats = 4, driverPhone = "call me" }),
            HttpStatusCode.BadRequest, "driverPhone");
        PlanningAssert.Problem(await api.Post($"/api/programmes/{jcm.ProgrammeId}/room-blocks", new { hotelId = hotel, firstNight = "2025-11-12", lastNight = "2025-11-10", rooms = 3 }),
            HttpStatusCode.BadRequest, "lastNight");
        (await api.Post($"/api/people/{Guid.NewGuid()}/stays", new { hotelId = hotel, checkIn = "2025-11-10", checkOut = "2025-11-11" })).Expect(HttpStatusCode.NotFound);
        Assert.Empty((await api.GetJson($"/api/people/{person}/stays")).Items());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_hotel_and_transfer_routes_and_their_resources()
    {
        using var client = fixture.App.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken));
        var paths = document.RootElement.GetProperty("paths");
        foreach (var path in new[]
        {
            "/api/programmes/{id}/room-blocks", "/api/programmes/{id}/stays", "/api/programmes/{id}/rooming-list", "/api/programmes/{id}/vehicles",
            "/api/people/{id}/stays", "/api/stays/{id}", "/api/stays/{id}/review", "/api/vehicles/{id}", "/api/vehicles/{id}/manifest",
        })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the OpenAPI document");
        }

        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        foreach (var schema in new[] { "StayResource", "VehicleResource", "ManifestResource", "HotelNightResource", "RoomingRow" })
        {
            Assert.True(schemas.TryGetProperty(schema, out _), $"{schema} is not in the OpenAPI document");
        }

        Assert.True(schemas.GetProperty("EngagementResource").GetProperty("properties").TryGetProperty("vehicleId", out _));
        Assert.True(schemas.GetProperty("ClashResource").GetProperty("properties").TryGetProperty("minutesShort", out _));
    }

    internal static Task<ApiResult> BookStay(
        PlanningClient api, string personId, string hotelId, string checkIn, string checkOut, string? roomType = null, string? sharingWith = null,
        string? confirmation = null) =>
        api.Post($"/api/people/{personId}/stays", PlanningClient.Body(
            ("hotelId", hotelId), ("checkIn", checkIn), ("checkOut", checkOut), ("roomType", roomType), ("sharingWith", sharingWith),
            ("confirmation", confirmation)));

    internal static Dictionary<string, object?> TransferBody(string from, string to, string departure, string arrival, string vehicleId) =>
        PlanningClient.TravelBody(from, to, departure, arrival, "Airport transfer", "car").With("vehicleId", vehicleId);

    internal static async Task<JsonElement> CreateTransfer(
        PlanningClient api, string programmeId, string from, string to, string departure, string arrival, string vehicleId) =>
        (await api.TryCreateEngagement(programmeId, TransferBody(from, to, departure, arrival, vehicleId))).Created();
}

/// <summary>Two silos of one cluster booking one vehicle for overlapping transfers at once.</summary>
public sealed class VehicleDoubleBookingTests(TwoHostFixture hosts) : IClassFixture<TwoHostFixture>
{
    [Fact]
    public async Task A_vehicle_booked_for_overlapping_transfers_through_two_silos_at_once_goes_to_exactly_one()
    {
        using var setup = new PlanningClient(hosts.First.AdminClient());
        var jcm = await Jcm.SetUp(setup);
        var hotel = (await setup.CreateVenue(HotelsAndTransfersTests.BeijingHotel())).Id();
        var van = (await setup.Post($"/api/programmes/{jcm.ProgrammeId}/vehicles", new { label = "Van 1", seats = 7 })).Created().Id();

        const int attempts = 12;
        using var first = new PlanningClient(hosts.First.AdminClient());
        using var second = new PlanningClient(hosts.Second.AdminClient());
        var results = await Task.WhenAll(Enumerable.Range(0, attempts).Select(i =>
            (i % 2 == 0 ? first : second).TryCreateEngagement(jcm.ProgrammeId, HotelsAndTransfersTests.TransferBody(
                hotel, jcm.BeijingAirport, $"2025-11-13T09:{i:00}", $"2025-11-13T10:{i:00}", van))));

        Assert.True(results.All(r => r.Status is HttpStatusCode.Created or HttpStatusCode.Conflict), string.Join("\n", results.Select(r => r.Describe())));
        var won = Assert.Single(results, r => r.Status == HttpStatusCode.Created);
        var transfers = (await setup.ListEngagements(jcm.ProgrammeId)).Items().Where(e => e.Prop("vehicleId").ValueKind == JsonValueKind.String).ToList();
        Assert.Equal(won.Json.Id(), Assert.Single(transfers).Id());

        // Once it is cancelled, the vehicle is free again for that time.
        await setup.CancelEngagement(won.Json.Id(), "Flight moved");
        (await second.TryCreateEngagement(jcm.ProgrammeId, HotelsAndTransfersTests.TransferBody(
            hotel, jcm.BeijingAirport, "2025-11-13T09:30", "2025-11-13T10:30", van))).Created();
    }
}
