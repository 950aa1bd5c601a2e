using System.Net;
using System.Text;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Logistics;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Ui;

/// <summary>The hotels and transfers pages over HTTP as a browser sends it: the transfers board, a manifest, stays, the rooming list.</summary>
public sealed class LogisticsPagesTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private sealed record World(UiWorld Ui, string Hotel, string Car, string Van, string[] Passengers);

    private static async Task<World> CreateWorld(PlanningClient admin)
    {
        var ui = await UiWorld.Create(admin);
        var hotel = (await admin.CreateVenue(HotelsAndTransfersTests.BeijingHotel())).Id();
        var car = (await admin.Post($"/api/programmes/{ui.Jcm.ProgrammeId}/vehicles",
            new { label = "Car 1", seats = 2, driverName = "Li Wei", driverPhone = "+86 138 0013 8000" })).Created().Id();
        var van = (await admin.Post($"/api/programmes/{ui.Jcm.ProgrammeId}/vehicles", new { label = "Van 1", seats = 7 })).Created().Id();
        var hale = await ui.Jcm.NewDelegate(admin, "Professor Ada Hale");
        return new World(ui, hotel, car, van, [ui.Ellery, hale, ui.Wang]);
    }

    private static (string, string)[] Booking(World world, string token, string vehicle, string title, params string[] passengers) =>
    [
        ("__RequestVerificationToken", token), ("Form.Title", title), ("Form.VehicleId", vehicle),
        ("Form.FromVenueId", world.Hotel), ("Form.ToVenueId", world.Ui.Jcm.BeijingAirport),
        ("Form.Departure", "2025-11-13T09:00"), ("Form.Arrival", "2025-11-13T10:00"), ("Form.Reference", "CA1315"),
        .. passengers.Select(p => ("Form.Passengers", p)),
    ];

    [Fact]
    public async Task The_board_books_a_transfer_for_three_delegates_and_the_manifest_lists_them()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        var world = await CreateWorld(admin);
        using var browser = Browserish.Client(fixture.App);
        await Browserish.SignIn(browser, PlannerApp.AdminKey);

        var board = $"/programmes/{world.Ui.Jcm.ProgrammeId}/transfers?date=2025-11-13";
        var token = await Browserish.Token(browser, board);
        var form = (await browser.GetStringAsync(new Uri(board, UriKind.Relative), Cancel)).Split("aria-labelledby=\"book-heading\">")[1].Split("</form>")[0];
        Assert.Contains("__RequestVerificationToken", form, StringComparison.Ordinal);
        using var booked = await Browserish.Post(browser, board, Booking(world, token, world.Van, "Hotel to Capital Airport", world.Passengers));
        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        var location = booked.Headers.Location!.OriginalString;
        Assert.StartsWith($"/programmes/{world.Ui.Jcm.ProgrammeId}/transfers?date=2025-11-13&booked=", location, StringComparison.Ordinal);

        var html = await browser.GetStringAsync(new Uri(location, UriKind.Relative), Cancel);
        Assert.Contains("Transfer booked.", html, StringComparison.Ordinal);
        Assert.Contains("Hotel to Capital Airport", html, StringComparison.Ordinal);
        Assert.Contains("3 of 7 seats", html, StringComparison.Ordinal);
        Assert.Contains("Professor Ada Hale", html, StringComparison.Ordinal);
        Assert.Contains(UiWorld.WangName, html, StringComparison.Ordinal);

        // The same transfer through the API: a car leg with the van and the three passengers.
        var manifest = (await admin.GetJson($"/api/vehicles/{world.Van}/manifest"));
        var transfer = Assert.Single(manifest.Prop("transfers").EnumerateArray());
        Assert.Equal(3, transfer.Prop("passengers").GetArrayLength());
        Assert.Equal("2025-11-13T09:00", transfer.Str("departure"));
        Assert.Equal("Asia/Shanghai", transfer.Str("departureZone"));

        var page = await browser.GetStringAsync(new Uri($"/vehicles/{world.Van}/manifest", UriKind.Relative), Cancel);
        Assert.Contains("Passenger manifest: Van 1", page, StringComparison.Ordinal);
        Assert.Contains("3 of 7 seats taken", page, StringComparison.Ordinal);
        foreach (var name in new[] { "Professor Margaret Ellery", "Professor Ada Hale", "Wang Zhigang", UiWorld.WangName })
        {
            Assert.Contains(name, page, StringComparison.Ordinal);
        }

        // The page's CSV is the API's, saved as a file.
        using var csv = await browser.GetAsync(new Uri($"/vehicles/{world.Van}/manifest?handler=Csv", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition?.DispositionType);
        var bytes = await csv.Content.ReadAsByteArrayAsync(Cancel);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Contains(UiWorld.WangName, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_booking_with_more_passengers_than_seats_is_refused_with_the_numbers_and_books_nothing()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        var world = await CreateWorld(admin);
        using var browser = Browserish.Client(fixture.App);
        await Browserish.SignIn(browser, PlannerApp.AdminKey);

        var board = $"/programmes/{world.Ui.Jcm.ProgrammeId}/transfers?date=2025-11-13";
        var token = await Browserish.Token(browser, board);
        using var refused = await Browserish.Post(browser, board, Booking(world, token, world.Car, "Too many for the car", world.Passengers));
        var html = await refused.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("has 3 passengers but its vehicle has 2 seats", html, StringComparison.Ordinal);
        Assert.Contains("Nothing was booked.", html, StringComparison.Ordinal);
        Assert.Empty((await admin.GetJson($"/api/vehicles/{world.Car}/manifest")).Prop("transfers").EnumerateArray());

        // The form keeps what was ticked, so the organiser can untick one and book again.
        Assert.Contains($"value=\"{world.Ui.Wang}\" checked=\"checked\"", html, StringComparison.Ordinal);

        // No vehicle and nobody ticked: both named beside their fields; a leg the rules refuse (arrival before departure)
        // shows the engagement rules' own message.
        var again = await Browserish.Token(browser, board);
        using var empty = await Browserish.Post(browser, board, Booking(world, again, "", "Empty"));
        var emptyHtml = await empty.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("id=\"vehicleId-error\"", emptyHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"passengers-error\"", emptyHtml, StringComparison.Ordinal);

        var third = await Browserish.Token(browser, board);
        var backwards = Booking(world, third, world.Van, "Backwards", world.Ui.Ellery)
            .Select(f => f.Item1 == "Form.Arrival" ? ("Form.Arrival", "2025-11-13T08:00") : f).ToArray();
        using var invalid = await Browserish.Post(browser, board, backwards);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("id=\"arrival-error\"", await invalid.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Empty((await admin.GetJson($"/api/vehicles/{world.Van}/manifest")).Prop("transfers").EnumerateArray());
    }

    [Fact]
    public async Task A_second_booking_of_a_busy_vehicle_is_refused_and_a_viewer_sees_the_board_but_cannot_book()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        var world = await CreateWorld(admin);
        using var browser = Browserish.Client(fixture.App);
        await Browserish.SignIn(browser, PlannerApp.AdminKey);
        var board = $"/programmes/{world.Ui.Jcm.ProgrammeId}/transfers?date=2025-11-13";
        using (var first = await Browserish.Post(browser, board, Booking(world, await Browserish.Token(browser, board), world.Van, "First run", world.Ui.Ellery)))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        using var second = await Browserish.Post(browser, board, Booking(world, await Browserish.Token(browser, board), world.Van, "Same hour", world.Ui.Wang));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("First run", await second.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        var viewerKey = await admin.CreateKey("logistics viewer", "viewer");
        using var viewer = Browserish.Client(fixture.App);
        await Browserish.SignIn(viewer, viewerKey);
        var html = await viewer.GetStringAsync(new Uri(board, UriKind.Relative), Cancel);
        Assert.Contains("First run", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Book the transfer", html, StringComparison.Ordinal);
        var token = await Browserish.Token(viewer, $"/programmes/{world.Ui.Jcm.ProgrammeId}/rooming-list");
        using var forbidden = await Browserish.Post(viewer, board, Booking(world, token, world.Van, "Viewer's", world.Ui.Ellery));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using var badDate = await browser.GetAsync(new Uri($"/programmes/{world.Ui.Jcm.ProgrammeId}/transfers?date=13/11/2025", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Contains("id=\"date-error\"", await badDate.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_stays_matrix_and_the_rooming_list_show_each_night_at_its_hotel()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        var world = await CreateWorld(admin);
        (await admin.Post($"/api/programmes/{world.Ui.Jcm.ProgrammeId}/room-blocks",
            new { hotelId = world.Hotel, firstNight = "2025-11-10", lastNight = "2025-11-12", rooms = 5 })).Ok();
        (await HotelsAndTransfersTests.BookStay(admin, world.Ui.Ellery, world.Hotel, "2025-11-10", "2025-11-13", roomType: "twin", confirmation: "WJ-1001")).Created();
        (await HotelsAndTransfersTests.BookStay(admin, world.Passengers[1], world.Hotel, "2025-11-11", "2025-11-13", roomType: "twin", sharingWith: world.Ui.Ellery)).Created();
        using var browser = Browserish.Client(fixture.App);
        await Browserish.SignIn(browser, PlannerApp.AdminKey);

        var stays = await browser.GetStringAsync(new Uri($"/delegations/{world.Ui.Jcm.DelegationId}/stays", UriKind.Relative), Cancel);
        Assert.Contains("Wenjin Hotel", stays, StringComparison.Ordinal);
        Assert.Contains("shares with Professor Margaret Ellery", stays, StringComparison.Ordinal);
        Assert.Contains("WJ-1001", stays, StringComparison.Ordinal);
        // Three nights from the 10th: the 13th is the check-out morning, so the programme's last day has no hotel.
        Assert.Equal(3 + 2, CountOf(stays, ">Wenjin Hotel<br>"));

        var rooming = await browser.GetStringAsync(new Uri($"/programmes/{world.Ui.Jcm.ProgrammeId}/rooming-list?night=2025-11-11", UriKind.Relative), Cancel);
        Assert.Contains("Professor Margaret Ellery", rooming, StringComparison.Ordinal);
        Assert.Contains("<td>Professor Ada Hale</td>", rooming, StringComparison.Ordinal);
        Assert.Contains("<td>5</td><td>1</td><td>4</td>", rooming, StringComparison.Ordinal);

        using var csv = await browser.GetAsync(new Uri($"/programmes/{world.Ui.Jcm.ProgrammeId}/rooming-list?handler=Csv&night=2025-11-11", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var lines = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync(Cancel)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("Wenjin Hotel,2025-11-11,Professor Margaret Ellery", lines[1], StringComparison.Ordinal);

        using var badNight = await browser.GetAsync(new Uri($"/programmes/{world.Ui.Jcm.ProgrammeId}/rooming-list?night=tomorrow", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, badNight.StatusCode);
        Assert.Contains("id=\"night-error\"", await badNight.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        using var unknown = await browser.GetAsync(new Uri($"/vehicles/{Guid.NewGuid()}/manifest", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
