using CommissionPlanner.Domain.Planning;

namespace CommissionPlanner.Domain.Members;

/// <summary>How many rows and columns a member sheet may have: a delegation is dozens of people, never thousands.</summary>
public static class MemberSheetLimits
{
    public const int MaxRows = 2000;
    public const int MaxColumns = 60;
    public const int MaxHeaderLength = 200;
}

/// <summary>Which column fills which field: one entry per header column, <see cref="Column"/> null when it is ignored.</summary>
public sealed record MappedColumn(int Index, string Letter, string Header, MemberColumn? Column, MemberColumn? Suggested);

/// <summary>One data row read through a mapping: the member and needs it describes, or why it cannot be used.</summary>
/// <remarks>
/// <see cref="Member"/> holds what the sheet says; a column that is not mapped leaves the field at its default (no local
/// name, role <c>member</c>, no needs), and <see cref="MemberImport.Decide"/> keeps the stored value of such a field for a
/// member who exists already. <see cref="Errors"/> are keyed by the field's wire name, or <c>row</c>.
/// </remarks>
public sealed record SheetMember(
    int Row, MemberSpec? Member, LogisticsSpec? Needs, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Member is not null && Errors.Count == 0;
}

/// <summary>A sheet read through a mapping: its rows in sheet order and the columns that were mapped.</summary>
public sealed record MemberSheetReading(IReadOnlyList<SheetMember> Rows, IReadOnlyList<MemberColumn> Mapped, IReadOnlyList<MappedColumn> Columns)
{
    /// <summary>The mapping as it would be remembered for the delegation: header → field wire name, for mapped columns.</summary>
    public IReadOnlyDictionary<string, string> Remembered() =>
        Columns.Where(c => c.Column is not null).ToDictionary(c => c.Header, c => c.Column!.Value.ToWire(), StringComparer.Ordinal);
}

/// <summary>
/// Turns a spreadsheet's rows and a column mapping into member specs, with every problem a row has, by the rules the member
/// API uses (<see cref="ReferenceSpecs.Validate(MemberInput, FieldErrors)"/>, <see cref="LogisticsSpecs.Validate"/>). The
/// upload page and <c>POST /api/delegations/{id}/members/import</c> both come here; neither reads cells itself.
/// </summary>
/// <remarks>
/// Cells are data: a formula is its text (<c>=HYPERLINK(…)</c> is stored as those characters, never run), and a text that
/// a CSV export neutralised with a leading apostrophe (<c>'=…</c>, <c>'+…</c>, <c>'-…</c>, <c>'@…</c>) reads back as it was,
/// so an exported sheet comes back unchanged. A number formatted as a date is refused in a text field: it is almost always
/// something a spreadsheet turned into a date while it was typed, and what was typed is lost.
/// </remarks>
public static class MemberSheet
{
    /// <summary>
    /// The mapping for a sheet: what the caller asked for (header → field wire name, empty or null to ignore the column),
    /// then what was remembered for the delegation, then what the header suggests. Problems with the mapping (an unknown
    /// header or field, a field mapped twice, a required field not mapped) go into <paramref name="errors"/> under
    /// <c>mapping</c>; problems with the header row itself (blank, merged, hidden, repeated) under <c>header</c>.
    /// </summary>
    public static IReadOnlyList<MappedColumn> Map(
        Sheet sheet, IReadOnlyDictionary<string, string?>? requested, IReadOnlyDictionary<string, string>? remembered, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(errors);
        if (sheet.Columns.Count == 0)
        {
            errors.Add("header", "Row 1 must hold the column headers (full name, organisation, title, e-mail …); it is empty.");
            return [];
        }

        if (sheet.Columns.Count > MemberSheetLimits.MaxColumns)
        {
            errors.Add("header", $"The sheet has {sheet.Columns.Count} columns; a member sheet may have at most {MemberSheetLimits.MaxColumns}.");
            return [];
        }

        foreach (var column in sheet.Columns)
        {
            if (column.Problem is not null)
            {
                errors.Add("header", $"Row 1, column {column.Letter}: {column.Problem}");
            }
            else if (column.Header.Length > MemberSheetLimits.MaxHeaderLength)
            {
                errors.Add("header", $"Row 1, column {column.Letter}: a header may be at most {MemberSheetLimits.MaxHeaderLength} characters.");
            }
        }

        foreach (var repeated in sheet.Columns.Where(c => c.Header.Length > 0).GroupBy(c => c.Header, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            errors.Add("header", $"Row 1: the header '{repeated.Key}' appears in columns {string.Join(", ", repeated.Select(c => c.Letter))}; give each column its own header.");
        }

        if (requested is not null)
        {
            foreach (var header in requested.Keys.Where(h => !sheet.Columns.Any(c => string.Equals(c.Header, h, StringComparison.OrdinalIgnoreCase))))
            {
                errors.Add($"mapping.{header}", $"The sheet has no column headed '{header}'.");
            }
        }

        var suggested = Suggest(sheet.Columns);
        var result = new List<MappedColumn>();
        foreach (var column in sheet.Columns)
        {
            MemberColumn? chosen;
            if (Lookup(requested, column.Header, out var asked))
            {
                chosen = Parse(asked, $"mapping.{column.Header}", errors);
            }
            else if (remembered is not null && Lookup(remembered!, column.Header, out var kept) && MemberColumns.TryParse(kept, out var rememberedColumn))
            {
                chosen = rememberedColumn;
            }
            else
            {
                chosen = suggested[column.Index];
            }

            result.Add(new MappedColumn(column.Index, column.Letter, column.Header, column.Header.Length == 0 ? null : chosen, suggested[column.Index]));
        }

        foreach (var twice in result.Where(c => c.Column is not null).GroupBy(c => c.Column!.Value).Where(g => g.Count() > 1))
        {
            errors.Add("mapping", $"'{twice.Key.ToWire()}' is mapped from more than one column ({string.Join(", ", twice.Select(c => $"'{c.Header}'"))}); map it from one.");
        }

        var missing = MemberColumns.Required.Where(r => !result.Any(c => c.Column == r)).ToList();
        if (missing.Count > 0)
        {
            errors.Add("mapping", $"No column is mapped to {string.Join(", ", missing.Select(m => $"'{m.ToWire()}'"))}: every member needs them. "
                + "Map a column to each, or add the column to the sheet.");
        }

        return result;
    }

    /// <summary>
    /// The field each header suggests, by column index. <c>姓名</c> alone means the member's only name (the full name); beside
    /// a Latin-script name column it is their local name.
    /// </summary>
    public static IReadOnlyDictionary<int, MemberColumn?> Suggest(IReadOnlyList<SheetColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var result = columns.ToDictionary(c => c.Index, c => MemberColumns.Recognise(c.Header));
        var hasLatinName = result.Values.Any(v => v == MemberColumn.FullName);
        foreach (var column in columns.Where(c => MemberColumns.IsBareChineseName(c.Header)))
        {
            result[column.Index] = hasLatinName ? MemberColumn.LocalName : MemberColumn.FullName;
        }

        // The first column to suggest a field keeps it; a later one is left unmapped rather than mapped twice.
        var seen = new HashSet<MemberColumn>();
        foreach (var column in columns)
        {
            if (result[column.Index] is { } field && !seen.Add(field))
            {
                result[column.Index] = null;
            }
        }

        return result;
    }

    /// <summary>Reads every non-blank data row through the mapping, in sheet order. Rows beyond the limit are an error under <c>file</c>.</summary>
    public static MemberSheetReading Read(Sheet sheet, IReadOnlyList<MappedColumn> mapping, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(errors);
        var rows = sheet.Rows.Where(r => !r.IsBlank).ToList();
        var mapped = mapping.Where(c => c.Column is not null).Select(c => c.Column!.Value).Distinct().ToList();
        if (rows.Count > MemberSheetLimits.MaxRows)
        {
            errors.Add("file", $"The sheet has more than {MemberSheetLimits.MaxRows} rows of members; at most {MemberSheetLimits.MaxRows} can be imported at once. Split it into several sheets.");
            return new MemberSheetReading([], mapped, mapping);
        }

        var read = rows.Select(r => ReadRow(r, mapping)).ToList();

        // E-mails are unique within a delegation, so two rows with one e-mail would be one member: say so on both.
        var byEmail = read.Where(r => r.Member is not null).GroupBy(r => r.Member!.Email, StringComparer.Ordinal).Where(g => g.Count() > 1);
        var duplicates = new Dictionary<int, string>();
        foreach (var group in byEmail)
        {
            var numbers = group.Select(r => r.Row).ToList();
            foreach (var row in group)
            {
                duplicates[row.Row] = $"Rows {string.Join(", ", numbers)} have the same e-mail ({group.Key}); each member needs their own.";
            }
        }

        if (duplicates.Count > 0)
        {
            read = [.. read.Select(r => duplicates.TryGetValue(r.Row, out var message) ? WithError(r, "email", message) : r)];
        }

        return new MemberSheetReading(read, mapped, mapping);
    }

    private static SheetMember ReadRow(SheetRow row, IReadOnlyList<MappedColumn> mapping)
    {
        var errors = new FieldErrors();
        if (row.Problem is not null)
        {
            errors.Add("row", $"Row {row.Number}: {row.Problem}");
        }

        string? Cell(MemberColumn column)
        {
            if (mapping.FirstOrDefault(c => c.Column == column) is not { } source)
            {
                return null;
            }

            var cell = row[source.Index];
            var field = column.ToWire();
            switch (cell.Kind)
            {
                case CellKind.Empty:
                    return null;
                case CellKind.Date:
                    errors.Add(field, $"Row {row.Number}, column {source.Letter} ('{source.Header}'): the cell holds a date ({cell.Text}) stored as a number, "
                        + "so what was typed is lost. Format the column as text and type the value again.");
                    return null;
                default:
                    return Unneutralise(cell.Text);
            }
        }

        var roleText = Cell(MemberColumn.Role);
        var input = new MemberInput(
            Cell(MemberColumn.FullName), Cell(MemberColumn.LocalName), Cell(MemberColumn.Organisation), Cell(MemberColumn.Title),
            Cell(MemberColumn.Email), string.IsNullOrWhiteSpace(roleText) ? DelegateRoles.ToWire(DelegateRole.Member) : Role(roleText));
        var needsInput = new LogisticsInput(
            Cell(MemberColumn.Dietary), Cell(MemberColumn.Accessibility), Cell(MemberColumn.InterpreterLanguage),
            Cell(MemberColumn.Nationality), Cell(MemberColumn.SecurityClearance));

        // The member API's own rules, so a row is refused here exactly when POST /members would refuse it.
        var specErrors = new FieldErrors();
        var member = ReferenceSpecs.Validate(input, specErrors);
        var needs = LogisticsSpecs.Validate(needsInput, specErrors);
        foreach (var (field, messages) in specErrors.ToDictionary())
        {
            var source = MemberColumns.TryParse(field, out var column) ? mapping.FirstOrDefault(c => c.Column == column) : null;
            foreach (var message in messages)
            {
                errors.Add(field, source is null ? $"Row {row.Number}: {message}" : $"Row {row.Number}, column {source.Letter} ('{source.Header}'): {message}");
            }
        }

        return new SheetMember(row.Number, member, needs, errors.ToDictionary());
    }

    private static SheetMember WithError(SheetMember row, string field, string message)
    {
        var errors = row.Errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
        return row with { Errors = errors };
    }

    /// <summary>Roles as sheets write them: the wire names in any case, or the Chinese words for them.</summary>
    private static string Role(string text)
    {
        var trimmed = text.Trim();
        return trimmed switch
        {
            "团长" or "代表团团长" => "head",
            "团员" or "成员" or "代表" => "member",
            "官员" => "official",
            "工作人员" or "随行人员" or "随员" => "support",
            _ => trimmed.ToLowerInvariant(),
        };
    }

    /// <summary>Undoes the apostrophe a CSV export puts before a cell a spreadsheet would run as a formula.</summary>
    private static string Unneutralise(string text) =>
        text.Length >= 2 && text[0] == '\'' && text[1] is '=' or '+' or '-' or '@' ? text[1..] : text;

    private static MemberColumn? Parse(string? wire, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(wire))
        {
            return null;
        }

        if (MemberColumns.TryParse(wire.Trim(), out var column))
        {
            return column;
        }

        errors.Add(field, $"'{wire}' is not a member field; use one of: {string.Join(", ", MemberColumns.WireNames)} (or an empty string to ignore the column).");
        return null;
    }

    private static bool Lookup<T>(IReadOnlyDictionary<string, T>? map, string header, out T value)
    {
        value = default!;
        if (map is null)
        {
            return false;
        }

        foreach (var (key, v) in map)
        {
            if (string.Equals(key, header, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }

        return false;
    }
}
