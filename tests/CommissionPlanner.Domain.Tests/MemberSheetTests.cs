using CommissionPlanner.Domain.Members;
using CommissionPlanner.Domain.Planning;

namespace CommissionPlanner.Domain.Tests;

public sealed class MemberSheetTests
{
    private static readonly string[] English = ["Full name", "Local name", "Organisation", "Title", "E-mail", "Role", "Dietary"];
    private static readonly string[] Chinese = ["英文姓名", "姓名", "单位", "职务", "邮箱", "角色", "饮食要求", "国籍"];

    internal static Sheet SheetOf(string[] headers, params string[][] rows) => new(
        [.. headers.Select((h, i) => new SheetColumn(i, Sheet.Letter(i), h))],
        [.. rows.Select((r, i) => new SheetRow(i + 2, [.. r.Select(SheetCell.Of)]))]);

    private static (MemberSheetReading? Reading, FieldErrors Errors) Read(Sheet sheet, IReadOnlyDictionary<string, string?>? mapping = null)
    {
        var errors = new FieldErrors();
        var columns = MemberSheet.Map(sheet, mapping, null, errors);
        return errors.Any ? (null, errors) : (MemberSheet.Read(sheet, columns, errors), errors);
    }

    [Fact]
    public void English_headers_suggest_every_field()
    {
        var sheet = SheetOf(English, ["Margaret Ellery", "", "The Royal Society", "Foreign Secretary", "M.Ellery@Example.org", "Head", "Vegetarian"]);
        var (reading, errors) = Read(sheet);
        Assert.False(errors.Any, string.Join(" ", errors.ToDictionary().SelectMany(e => e.Value)));
        var row = Assert.Single(reading!.Rows);
        Assert.True(row.IsValid);
        Assert.Equal(2, row.Row);
        Assert.Equal("m.ellery@example.org", row.Member!.Email);
        Assert.Equal(DelegateRole.Head, row.Member.Role);
        Assert.Equal("Vegetarian", row.Needs!.Dietary);
        Assert.Contains(MemberColumn.Dietary, reading.Mapped);
        Assert.DoesNotContain(MemberColumn.Accessibility, reading.Mapped);
    }

    [Fact]
    public void Chinese_headers_suggest_every_field_and_the_bare_name_is_the_local_name_beside_a_latin_one()
    {
        var suggested = MemberSheet.Suggest(SheetOf(Chinese).Columns);
        Assert.Equal(
            [MemberColumn.FullName, MemberColumn.LocalName, MemberColumn.Organisation, MemberColumn.Title, MemberColumn.Email, MemberColumn.Role,
             MemberColumn.Dietary, MemberColumn.Nationality],
            suggested.OrderBy(s => s.Key).Select(s => s.Value!.Value));

        var alone = MemberSheet.Suggest(SheetOf(["姓名", "单位", "职务", "电子邮箱"]).Columns);
        Assert.Equal(MemberColumn.FullName, alone[0]);
    }

    [Fact]
    public void Chinese_roles_and_names_read_as_the_api_would_take_them()
    {
        var sheet = SheetOf(Chinese, ["Wang Zhigang", "王志刚", "科学技术部", "部长", "wang@example.cn", "团长", "清真", "CN"]);
        var row = Assert.Single(Read(sheet).Reading!.Rows);
        Assert.True(row.IsValid, string.Join(" ", row.Errors.SelectMany(e => e.Value)));
        Assert.Equal("王志刚", row.Member!.LocalName);
        Assert.Equal(DelegateRole.Head, row.Member.Role);
        Assert.Equal("CN", row.Needs!.Nationality);
    }

    [Fact]
    public void A_bad_email_refuses_its_row_with_the_row_and_column_named()
    {
        var sheet = SheetOf(English,
            ["A One", "", "Org", "T", "a1@example.org", "member", ""],
            ["B Two", "", "Org", "T", "b2@example.org", "member", ""],
            ["C Three", "", "Org", "T", "not an e-mail", "member", ""]);
        var rows = Read(sheet).Reading!.Rows;
        Assert.True(rows[0].IsValid);
        Assert.False(rows[2].IsValid);
        var message = Assert.Single(rows[2].Errors["email"]);
        Assert.StartsWith("Row 4, column E ('E-mail'):", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_rows_with_one_email_are_both_refused()
    {
        var sheet = SheetOf(English,
            ["A One", "", "Org", "T", "same@example.org", "member", ""],
            ["A Two", "", "Org", "T", "SAME@example.org", "member", ""]);
        var rows = Read(sheet).Reading!.Rows;
        Assert.All(rows, r => Assert.Contains("Rows 2, 3 have the same e-mail", r.Errors["email"][0], StringComparison.Ordinal));
    }

    [Fact]
    public void A_date_typed_as_a_number_is_a_row_error_not_a_value()
    {
        var sheet = new Sheet(SheetOf(English).Columns,
            [new SheetRow(2, [SheetCell.Of("A One"), SheetCell.Empty, SheetCell.Of("Org"), new SheetCell(CellKind.Date, "2025-03-12"), SheetCell.Of("a@example.org")])]);
        var row = Assert.Single(Read(sheet).Reading!.Rows);
        Assert.Contains("date (2025-03-12) stored as a number", row.Errors["title"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_formula_is_kept_as_its_text_and_an_exported_apostrophe_is_undone()
    {
        var sheet = new Sheet(SheetOf(English).Columns,
            [new SheetRow(2, [new SheetCell(CellKind.Formula, "=HYPERLINK(\"http://x.example\",\"x\")"), SheetCell.Of("'=1+1"), SheetCell.Of("Org"),
                SheetCell.Of("T"), SheetCell.Of("a@example.org")])]);
        var row = Assert.Single(Read(sheet).Reading!.Rows);
        Assert.Equal("=HYPERLINK(\"http://x.example\",\"x\")", row.Member!.FullName);
        Assert.Equal("=1+1", row.Member.LocalName);
    }

    [Fact]
    public void A_mapping_can_ignore_a_column_and_must_name_real_headers_and_fields()
    {
        var sheet = SheetOf(English, ["A One", "", "Org", "T", "a@example.org", "member", "Vegan"]);
        var (reading, _) = Read(sheet, new Dictionary<string, string?> { ["Dietary"] = "" });
        Assert.DoesNotContain(MemberColumn.Dietary, reading!.Mapped);
        Assert.Null(reading.Rows[0].Needs!.Dietary);

        var (_, errors) = Read(sheet, new Dictionary<string, string?> { ["Nope"] = "email", ["Role"] = "position" });
        var all = errors.ToDictionary();
        Assert.Contains("mapping.Nope", all.Keys);
        Assert.Contains("mapping.Role", all.Keys);

        var (_, twice) = Read(sheet, new Dictionary<string, string?> { ["Local name"] = "fullName" });
        Assert.Contains("more than one column", twice.ToDictionary()["mapping"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_sheet_without_an_email_column_is_refused_before_any_row()
    {
        var (_, errors) = Read(SheetOf(["Full name", "Organisation", "Title"], ["A", "B", "C"]));
        Assert.Contains("'email'", errors.ToDictionary()["mapping"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Merged_or_hidden_header_cells_are_named_by_row_and_column()
    {
        var sheet = new Sheet(
            [new SheetColumn(0, "A", "Full name", "the header cell is merged (A1:B1)"), new SheetColumn(1, "B", "", null), new SheetColumn(2, "C", "E-mail", "the column is hidden")],
            []);
        var errors = new FieldErrors();
        MemberSheet.Map(sheet, null, null, errors);
        var header = errors.ToDictionary()["header"];
        Assert.Contains(header, m => m.StartsWith("Row 1, column A: the header cell is merged", StringComparison.Ordinal));
        Assert.Contains(header, m => m.StartsWith("Row 1, column C: the column is hidden", StringComparison.Ordinal));
    }

    [Fact]
    public void Too_many_rows_is_one_error_for_the_file()
    {
        var rows = Enumerable.Range(0, MemberSheetLimits.MaxRows + 1).Select(i => new[] { $"P{i}", "", "O", "T", $"p{i}@example.org", "", "" }).ToArray();
        var (reading, errors) = Read(SheetOf(English, rows));
        Assert.True(errors.Any);
        Assert.Contains("more than 2000 rows", errors.ToDictionary()["file"][0], StringComparison.Ordinal);
        Assert.Empty(reading!.Rows);
    }

    [Fact]
    public void A_remembered_mapping_wins_over_the_suggestion_and_a_request_over_both()
    {
        var sheet = SheetOf(["Name", "Org", "Job", "Mail", "Notes"]);
        var errors = new FieldErrors();
        var remembered = new Dictionary<string, string> { ["Notes"] = "dietary", ["Name"] = "fullName", ["Org"] = "organisation", ["Job"] = "title", ["Mail"] = "email" };
        var columns = MemberSheet.Map(sheet, new Dictionary<string, string?> { ["notes"] = "accessibility" }, remembered, errors);
        Assert.False(errors.Any);
        Assert.Equal(MemberColumn.Accessibility, columns[4].Column);
        Assert.Equal(MemberColumn.Title, columns[2].Column);
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(701, "ZZ")]
    public void Column_letters_are_as_spreadsheets_show_them(int index, string letter) => Assert.Equal(letter, Sheet.Letter(index));
}

public sealed class MemberImportTests
{
    private static readonly LogisticsSpec NoNeeds = new(null, null, null, null, null);

    private static SheetMember Row(int row, string email, string title = "Minister", string? dietary = null) =>
        new(row, new MemberSpec("Name " + row, null, "Org", title, email, DelegateRole.Member), NoNeeds with { Dietary = dietary }, new Dictionary<string, string[]>());

    [Fact]
    public void Rows_are_created_updated_or_unchanged_by_email_and_refused_rows_stay_refused()
    {
        var stored = new ExistingMember(Guid.NewGuid(), new MemberSpec("Name 3", "本地", "Org", "Minister", "c@example.org", DelegateRole.Head), NoNeeds with { Dietary = "Vegan" });
        var same = new ExistingMember(Guid.NewGuid(), new MemberSpec("Name 4", null, "Org", "Minister", "d@example.org", DelegateRole.Member), NoNeeds);
        var refused = new SheetMember(5, null, null, new Dictionary<string, string[]> { ["email"] = ["bad"] });
        MemberColumn[] mapped = [MemberColumn.FullName, MemberColumn.Organisation, MemberColumn.Title, MemberColumn.Email, MemberColumn.Dietary];
        var newId = Guid.NewGuid();
        var plan = MemberImport.Decide([Row(2, "b@example.org"), Row(3, "c@example.org", "Envoy", "Vegan"), Row(4, "d@example.org"), refused], mapped, [stored, same], () => newId);

        Assert.Equal([RowOutcome.Created, RowOutcome.Updated, RowOutcome.Unchanged, RowOutcome.Refused], plan.Select(p => p.Outcome));
        Assert.Equal(newId, plan[0].PersonId);
        Assert.Equal(stored.Id, plan[1].PersonId);
        Assert.True(plan[1].MemberChanged);
        Assert.False(plan[1].NeedsChanged);
        // Columns that are not mapped keep what is stored: the local name and the role.
        Assert.Equal("本地", plan[1].Member!.LocalName);
        Assert.Equal(DelegateRole.Head, plan[1].Member!.Role);
        Assert.Equal(new ImportCounts(1, 1, 1, 1), ImportCounts.Of(plan));
    }

    [Fact]
    public void The_same_sheet_against_what_it_wrote_changes_nothing()
    {
        MemberColumn[] mapped = [.. MemberColumns.All];
        var rows = new[] { Row(2, "a@example.org", dietary: "Halal"), Row(3, "b@example.org") };
        var first = MemberImport.Decide(rows, mapped, [], Guid.NewGuid);
        var stored = first.Select(p => new ExistingMember(p.PersonId!.Value, p.Member!, p.Needs!)).ToList();
        var second = MemberImport.Decide(rows, mapped, stored, Guid.NewGuid);
        Assert.All(second, p => Assert.Equal(RowOutcome.Unchanged, p.Outcome));
        Assert.False(ImportCounts.Of(second).WritesSomething());
    }
}
