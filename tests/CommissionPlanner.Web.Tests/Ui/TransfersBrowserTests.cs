using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Logistics;
using CommissionPlanner.Web.Tests.Planning;
using Microsoft.Playwright;

namespace CommissionPlanner.Web.Tests.Ui;

/// <summary>The transfers board in Debian's Chromium: book a transfer for three delegates, see it on the board and on the van's manifest.</summary>
public sealed class TransfersBrowserTests(KestrelPlannerFixture fixture) : IClassFixture<KestrelPlannerFixture>
{
    [Fact]
    public async Task Book_a_transfer_for_three_delegates_from_the_board_and_see_the_manifest()
    {
        if (!File.Exists(KestrelPlannerFixture.Chromium))
        {
            Assert.Skip($"{KestrelPlannerFixture.Chromium} is missing: install Debian's chromium and fonts-wqy-microhei (deploy/local/test.sh does so as root).");
        }

        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PlannerApp.AdminKey);
        using var admin = new PlanningClient(http);
        var jcm = await Jcm.SetUp(admin);
        var hotel = (await admin.CreateVenue(HotelsAndTransfersTests.BeijingHotel())).Id();
        var van = (await admin.Post($"/api/programmes/{jcm.ProgrammeId}/vehicles",
            new { label = "Van 1", seats = 7, driverName = "Li Wei", driverPhone = "+86 138 0013 8000" })).Created().Id();
        var car = (await admin.Post($"/api/programmes/{jcm.ProgrammeId}/vehicles", new { label = "Car 1", seats = 2 })).Created().Id();
        var china = (await admin.CreateDelegation(jcm.ProgrammeId, "中国代表团", "CN")).Id();
        string[] names = ["Lord Vallance", "Professor Ada Hale"];
        foreach (var name in names)
        {
            await jcm.NewDelegate(admin, name);
        }

        await admin.AddMember(china, "Wang Zhigang", "head", localName: UiWorld.WangName, organisation: "Ministry of Science and Technology", title: "Minister");
        var shots = UiEndToEndTests.Screenshots();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await UiEndToEndTests.Launch(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = "en-GB",
        });
        var page = await context.NewPageAsync();
        var board = $"/programmes/{jcm.ProgrammeId}/transfers?date=2025-11-13";
        await page.GotoAsync(board);
        await page.GetByLabel("API key").FillAsync(PlannerApp.AdminKey);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
        await UiEndToEndTests.ArriveAt(page, "**/transfers*date=2025-11-13");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("No transfers by car leave on this day.");

        // Three passengers into the two-seat car: refused with the numbers, and nothing is booked.
        await FillTransfer(page, car, hotel, jcm.BeijingAirport, "Hotel to Capital Airport");
        var wang = $"Wang Zhigang {UiWorld.WangName}";
        foreach (var name in names.Append(wang))
        {
            await page.GetByLabel(name, new PageGetByLabelOptions { Exact = true }).CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Book the transfer" }).ClickAsync();
        await Assertions.Expect(page.Locator("#form-errors")).ToContainTextAsync("has 3 passengers but its vehicle has 2 seats");
        await Assertions.Expect(page.Locator("#transfers-board")).ToHaveCountAsync(0);

        // The ticks are kept: choose the van instead and book.
        await Assertions.Expect(page.GetByLabel(wang, new PageGetByLabelOptions { Exact = true })).ToBeCheckedAsync();
        await page.Locator("#vehicleId").SelectOptionAsync(van);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Book the transfer" }).ClickAsync();
        await UiEndToEndTests.ArriveAt(page, "**notice=booked**");
        var row = page.Locator("#transfers-board tbody tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("Hotel to Capital Airport");
        await Assertions.Expect(row).ToContainTextAsync("3 of 7 seats");
        foreach (var name in names.Append(UiWorld.WangName))
        {
            await Assertions.Expect(row).ToContainTextAsync(name);
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "30-transfers-board.png"), FullPage = true });

        await row.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "Van 1" }).ClickAsync();
        await UiEndToEndTests.ArriveAt(page, $"**/vehicles/{van}/manifest");
        var manifest = page.Locator("table.manifest");
        await Assertions.Expect(manifest.Locator("tbody tr")).ToHaveCountAsync(3);
        foreach (var name in names.Append("Wang Zhigang").Append(UiWorld.WangName))
        {
            await Assertions.Expect(manifest).ToContainTextAsync(name);
        }

        await Assertions.Expect(page.Locator("#vehicle")).ToContainTextAsync("driver Li Wei");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "31-vehicle-manifest.png"), FullPage = true });

        // What the pages showed is what the API holds.
        var transfers = (await admin.GetJson($"/api/vehicles/{van}/manifest")).Prop("transfers").EnumerateArray().ToList();
        Assert.Equal(3, Assert.Single(transfers).Prop("passengers").GetArrayLength());
        Assert.Empty((await admin.GetJson($"/api/vehicles/{car}/manifest")).Prop("transfers").EnumerateArray());
    }

    private static async Task FillTransfer(IPage page, string vehicle, string from, string to, string title)
    {
        await page.Locator("#title").FillAsync(title);
        await page.Locator("#vehicleId").SelectOptionAsync(vehicle);
        await page.Locator("#fromVenueId").SelectOptionAsync(from);
        await page.Locator("#toVenueId").SelectOptionAsync(to);
        await page.Locator("#departure").FillAsync("2025-11-13T09:00");
        await page.Locator("#arrival").FillAsync("2025-11-13T10:00");
        await page.Locator("#reference").FillAsync("CA1315");
    }
}
