using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Members;
using CommissionPlanner.Web.Tests.Planning;
using Microsoft.Playwright;

namespace CommissionPlanner.Web.Tests.Ui;

/// <summary>The upload page in Debian's Chromium: upload a sheet, adjust one column's mapping, read the dry run, commit.</summary>
public sealed class MemberSheetBrowserTests(KestrelPlannerFixture fixture) : IClassFixture<KestrelPlannerFixture>
{
    [Fact]
    public async Task Upload_a_sheet_adjust_one_mapping_see_the_dry_run_and_commit()
    {
        if (!File.Exists(KestrelPlannerFixture.Chromium))
        {
            Assert.Skip($"{KestrelPlannerFixture.Chromium} is missing: install Debian's chromium and fonts-wqy-microhei (deploy/local/test.sh does so as root).");
        }

        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PlannerApp.AdminKey);
        using var admin = new PlanningClient(http);
        var jcm = await Jcm.SetUp(admin);
        var china = (await admin.CreateDelegation(jcm.ProgrammeId, "中国代表团", "CN")).Id();
        var shots = UiEndToEndTests.Screenshots();

        // "餐饮备注" (catering notes) is no header the planner knows: the person maps it to Dietary by hand.
        var sheet = new Workbook()
            .Row("英文姓名", "姓名", "单位", "职务", "邮箱", "餐饮备注")
            .Row("Wang Zhigang", "王志刚", "科学技术部", "部长", "wang.zhigang@example.cn", "清真")
            .Row("Zhang Wei", "张伟", "清华大学", "教授", "zhang.wei@example.cn", "素食")
            .Bytes();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await UiEndToEndTests.Launch(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = "en-GB",
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/delegations/{china}/members/import");
        await page.GetByLabel("API key").FillAsync(PlannerApp.AdminKey);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
        await UiEndToEndTests.ArriveAt(page, $"**/delegations/{china}/members/import");

        await page.Locator("#file").SetInputFilesAsync(new FilePayload
        {
            Name = "delegation.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = sheet,
        });
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Check the sheet" }).ClickAsync();
        await Assertions.Expect(page.Locator("#counts")).ToContainTextAsync("2 to create");
        var notes = page.Locator("select[data-header='餐饮备注']");
        Assert.Equal(string.Empty, await notes.InputValueAsync());
        Assert.Equal("localName", await page.Locator("select[data-header='姓名']").InputValueAsync());

        await notes.SelectOptionAsync("dietary");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Check again with this mapping" }).ClickAsync();
        await Assertions.Expect(page.Locator("select[data-header='餐饮备注']")).ToHaveValueAsync("dietary");
        await Assertions.Expect(page.Locator("#dry-run tr[data-row='2']")).ToContainTextAsync("created");
        await Assertions.Expect(page.Locator("#dry-run")).ToContainTextAsync("王志刚");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "20-member-sheet-dry-run.png"), FullPage = true });
        Assert.Empty(await MemberSheetApiTests.Members(admin, china));

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Import: 2 new, 0 updated" }).ClickAsync();
        await UiEndToEndTests.ArriveAt(page, $"**/delegations/{china}?notice=members-imported");
        await Assertions.Expect(page.Locator("#needs-summary")).ToContainTextAsync("清真");
        await Assertions.Expect(page.Locator("#dietary-counts")).ToContainTextAsync("素食 × 1");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "21-delegation-needs.png"), FullPage = true });

        var members = await MemberSheetApiTests.Members(admin, china);
        Assert.Equal(["王志刚", "张伟"], members.Select(m => m.Str("localName")));

        // The needs are editable on the person's page, with the version the form showed.
        await page.GotoAsync($"/people/{members[1].Id()}");
        await page.Locator("#needs-form #dietary").FillAsync("素食，不吃蛋");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Save needs" }).ClickAsync();
        await UiEndToEndTests.ArriveAt(page, "**notice=saved**");
        await Assertions.Expect(page.Locator("#needs-form #dietary")).ToHaveValueAsync("素食，不吃蛋");
    }
}
