using System.Globalization;
using System.Text;
using CommissionPlanner.Domain.Members;
using CommissionPlanner.Domain.Planning;
using CsvHelper;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Sheet = CommissionPlanner.Domain.Members.Sheet;

namespace CommissionPlanner.Web.Members;

/// <summary>The file formats a member sheet may come in and go out as.</summary>
public enum SheetFormat
{
    Xlsx,
    Csv,
}

/// <summary>
/// Member sheets as files: <c>.xlsx</c> through Microsoft's Open XML SDK and <c>.csv</c> through CsvHelper, read into the
/// domain's <see cref="Sheet"/> (what <see cref="MemberSheet"/> reads rows from) and written back in the same layout.
/// </summary>
/// <remarks>
/// Nothing in a file is evaluated: a formula is read as its text, and a written cell is always an inline string, never a
/// formula. Problems with the file itself (unreadable, not UTF-8 or UTF-16, no header) go into <see cref="FieldErrors"/>
/// under <c>file</c>; what the sheet says about a cell (merged, hidden, a date typed as a number) travels with the cell to
/// <see cref="MemberSheet"/>, which turns it into a message on the row.
/// </remarks>
public static class SheetFiles
{
    /// <summary>Larger than any delegation list; bounded so that an upload cannot take the server's memory.</summary>
    public const int MaxBytes = 5 * 1024 * 1024;

    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The uncompressed size any one part of an .xlsx may have: bounds a "zip bomb" long before memory runs out.</summary>
    private const long MaxCharactersInPart = 64L * 1024 * 1024;

    /// <summary>The format a file name says, or null when it is neither .xlsx nor .csv.</summary>
    public static SheetFormat? FormatOf(string? fileName) => Path.GetExtension(fileName ?? string.Empty).ToLowerInvariant() switch
    {
        ".xlsx" => SheetFormat.Xlsx,
        ".csv" or ".txt" => SheetFormat.Csv,
        _ => null,
    };

    /// <summary>Reads a file; null (with the reason under <c>file</c>) when it cannot be read as the format says.</summary>
    public static Sheet? Read(byte[] bytes, SheetFormat format, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(errors);
        if (bytes.Length == 0)
        {
            errors.Add("file", "The file is empty.");
            return null;
        }

        if (bytes.Length > MaxBytes)
        {
            errors.Add("file", $"The file is {bytes.Length / 1024:N0} KB; a member sheet may be at most {MaxBytes / 1024 / 1024} MB.");
            return null;
        }

        return format == SheetFormat.Xlsx ? ReadXlsx(bytes, errors) : ReadCsv(bytes, errors);
    }

    // ---------------------------------------------------------------- .xlsx

    private static Sheet? ReadXlsx(byte[] bytes, FieldErrors errors)
    {
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var document = SpreadsheetDocument.Open(stream, false, new OpenSettings { MaxCharactersInPart = MaxCharactersInPart });
            var workbook = document.WorkbookPart;
            var sheetEntry = workbook?.Workbook.Sheets?.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>()
                .FirstOrDefault(s => s.State is null || s.State.Value == SheetStateValues.Visible);
            if (workbook is null || sheetEntry?.Id?.Value is not { } partId || workbook.GetPartById(partId) is not WorksheetPart part)
            {
                errors.Add("file", "The workbook has no visible worksheet.");
                return null;
            }

            return ReadWorksheet(part.Worksheet, workbook, errors);
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or FormatException or IOException or InvalidOperationException
                                       or System.Xml.XmlException or ArgumentException)
        {
            errors.Add("file", "The file could not be read as an .xlsx workbook. Save it from the spreadsheet as \"Excel workbook (.xlsx)\" or as CSV UTF-8, and upload it again.");
            return null;
        }
    }

    private static Sheet? ReadWorksheet(Worksheet worksheet, WorkbookPart workbook, FieldErrors errors)
    {
        var strings = workbook.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
        var dateStyles = DateStyles(workbook.WorkbookStylesPart?.Stylesheet);
        var hiddenColumns = new HashSet<int>();
        foreach (var column in worksheet.GetFirstChild<Columns>()?.Elements<Column>() ?? [])
        {
            if (column.Hidden?.Value == true && column.Min?.Value is { } min && column.Max?.Value is { } max)
            {
                for (var c = (int)min; c <= Math.Min(max, MemberSheetLimits.MaxColumns + 1); c++)
                {
                    hiddenColumns.Add(c - 1);
                }
            }
        }

        var merged = (worksheet.Elements<MergeCells>().FirstOrDefault()?.Elements<MergeCell>() ?? [])
            .Select(m => m.Reference?.Value).OfType<string>().Select(Range).OfType<CellRange>().ToList();

        var rows = new List<(int Number, bool Hidden, SortedDictionary<int, SheetCell> Cells)>();
        var data = worksheet.GetFirstChild<SheetData>();
        var nextRow = 1;
        foreach (var row in data?.Elements<Row>() ?? [])
        {
            var number = row.RowIndex?.Value is { } index ? (int)index : nextRow;
            nextRow = number + 1;
            var cells = new SortedDictionary<int, SheetCell>();
            var nextColumn = 0;
            foreach (var cell in row.Elements<Cell>())
            {
                var column = cell.CellReference?.Value is { } reference && Position(reference) is { } at ? at.Column : nextColumn;
                nextColumn = column + 1;
                if (column > MemberSheetLimits.MaxColumns)
                {
                    continue;
                }

                var value = CellOf(cell, strings, dateStyles);
                if (value.Kind != CellKind.Empty)
                {
                    cells[column] = value;
                }
            }

            if (rows.Count == 0 && cells.Count == 0)
            {
                continue; // blank rows above the header
            }

            rows.Add((number, row.Hidden?.Value == true, cells));
            if (rows.Count > MemberSheetLimits.MaxRows + 1)
            {
                break; // one more than may be imported: enough for MemberSheet to say the sheet is too long
            }
        }

        if (rows.Count == 0)
        {
            errors.Add("file", "The worksheet is empty: row 1 should hold the column headers and each row below it one member.");
            return null;
        }

        var header = rows[0];
        var width = header.Cells.Count == 0 ? 0 : header.Cells.Keys.Max() + 1;
        var columns = new List<SheetColumn>();
        for (var c = 0; c < width; c++)
        {
            var text = header.Cells.TryGetValue(c, out var cell) ? cell.Text.Trim() : string.Empty;
            string? problem = null;
            if (merged.FirstOrDefault(m => m.Contains(header.Number, c)) is { } range)
            {
                problem = $"the header cell is merged ({range.Text}); unmerge it so that each column has a header of its own.";
            }
            else if (hiddenColumns.Contains(c))
            {
                problem = "the column is hidden; unhide it (or delete it) so that what is imported is what you can see.";
            }
            else if (header.Hidden)
            {
                problem = "the header row is hidden; unhide it.";
            }
            else if (text.Length == 0 && rows.Skip(1).Any(r => r.Cells.ContainsKey(c)))
            {
                problem = "the column has values but no header; give it one (or delete the column).";
            }

            columns.Add(new SheetColumn(c, Domain.Members.Sheet.Letter(c), text, problem));
        }

        var sheetRows = rows.Skip(1).Select(r =>
        {
            var cells = Enumerable.Range(0, width).Select(c => r.Cells.TryGetValue(c, out var v) ? v : SheetCell.Empty).ToList();
            var problems = new List<string>();
            if (r.Hidden && cells.Any(c => c.Kind != CellKind.Empty))
            {
                problems.Add("the row is hidden in the sheet; unhide it (or delete it) so that what is imported is what you can see.");
            }

            if (merged.FirstOrDefault(m => m.Spans(r.Number)) is { } range)
            {
                problems.Add($"cells {range.Text} are merged; unmerge them so that each cell holds its own value.");
            }

            return new SheetRow(r.Number, cells, problems.Count == 0 ? null : string.Join(" ", problems));
        }).ToList();
        return new Domain.Members.Sheet(columns, sheetRows);
    }

    private static SheetCell CellOf(Cell cell, List<string> strings, HashSet<uint> dateStyles)
    {
        var raw = cell.CellValue?.Text;
        if (cell.CellFormula is { } formula)
        {
            // A formula is data: its text, as written, with the '=' a person typed (never its computed value, never run).
            return string.IsNullOrEmpty(formula.Text)
                ? SheetCell.Of(raw)
                : new SheetCell(CellKind.Formula, "=" + formula.Text);
        }

        var type = cell.DataType?.Value;
        if (type == CellValues.SharedString)
        {
            return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < strings.Count ? SheetCell.Of(strings[i]) : SheetCell.Empty;
        }

        if (type == CellValues.InlineString)
        {
            return SheetCell.Of(cell.InlineString?.InnerText);
        }

        if (type == CellValues.String || type == CellValues.Error)
        {
            return SheetCell.Of(raw);
        }

        if (type == CellValues.Boolean)
        {
            return SheetCell.Of(raw == "1" ? "TRUE" : "FALSE");
        }

        if (string.IsNullOrEmpty(raw))
        {
            return SheetCell.Empty;
        }

        if (type == CellValues.Date)
        {
            return new SheetCell(CellKind.Date, raw.Length >= 10 ? raw[..10] : raw);
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return SheetCell.Of(raw);
        }

        if (cell.StyleIndex?.Value is { } style && dateStyles.Contains(style) && number is > -657435 and < 2958466)
        {
            return new SheetCell(CellKind.Date, DateTime.FromOADate(number).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        return new SheetCell(CellKind.Number, number.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The cell formats (indexes into cellXfs) whose number format shows a date or time.</summary>
    private static HashSet<uint> DateStyles(Stylesheet? styles)
    {
        var result = new HashSet<uint>();
        if (styles?.CellFormats is not { } formats)
        {
            return result;
        }

        var custom = styles.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId?.Value is not null)
            .ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode?.Value ?? string.Empty) ?? [];
        uint index = 0;
        foreach (var format in formats.Elements<CellFormat>())
        {
            var id = format.NumberFormatId?.Value ?? 0;
            if (id is >= 14 and <= 22 or >= 27 and <= 36 or >= 45 and <= 47 or >= 50 and <= 58
                || (custom.TryGetValue(id, out var code) && IsDateFormat(code)))
            {
                result.Add(index);
            }

            index++;
        }

        return result;
    }

    /// <summary>A format code shows a date when, outside quoted text, escapes and [colour/locale] sections, it has d, m or y.</summary>
    private static bool IsDateFormat(string code)
    {
        var inQuote = false;
        var inBracket = false;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (c == '"') { inQuote = !inQuote; continue; }
            if (inQuote) { continue; }
            if (c == '\\') { i++; continue; }
            if (c == '[') { inBracket = true; continue; }
            if (c == ']') { inBracket = false; continue; }
            if (!inBracket && c is 'd' or 'D' or 'm' or 'M' or 'y' or 'Y' or '年' or '月' or '日')
            {
                return true;
            }
        }

        return false;
    }

    private sealed record CellRange(string Text, int FirstRow, int FirstColumn, int LastRow, int LastColumn)
    {
        public bool Contains(int row, int column) => row >= FirstRow && row <= LastRow && column >= FirstColumn && column <= LastColumn;

        public bool Spans(int row) => row >= FirstRow && row <= LastRow;
    }

    private static CellRange? Range(string reference)
    {
        var parts = reference.Split(':');
        if (Position(parts[0]) is not { } first)
        {
            return null;
        }

        var last = parts.Length > 1 ? Position(parts[1]) ?? first : first;
        return new CellRange(reference, first.Row, first.Column, last.Row, last.Column);
    }

    /// <summary>"C12" → row 12, column 2 (0-based).</summary>
    private static (int Row, int Column)? Position(string reference)
    {
        var column = 0;
        var i = 0;
        while (i < reference.Length && char.IsAsciiLetter(reference[i]))
        {
            column = (column * 26) + (char.ToUpperInvariant(reference[i]) - 'A' + 1);
            if (column > 16384)
            {
                return null;
            }

            i++;
        }

        return i > 0 && int.TryParse(reference.AsSpan(i), NumberStyles.None, CultureInfo.InvariantCulture, out var row) && row > 0
            ? (row, column - 1)
            : null;
    }

    // ---------------------------------------------------------------- .csv

    private static readonly CsvReaderOptions CsvOptions = CsvReaderOptions.Default with
    {
        HasHeader = false,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        MissingField = CsvMissingFieldHandling.ReturnEmpty,
        MalformedData = CsvMalformedDataHandling.Throw,
        DetectSeparatorHint = true,
        MaxRecordSize = 1024 * 1024,
    };

    private static Sheet? ReadCsv(byte[] bytes, FieldErrors errors)
    {
        if (Decode(bytes) is not { } text)
        {
            errors.Add("file", "The file is neither UTF-8 nor UTF-16 text. Save it from the spreadsheet as \"CSV UTF-8\" (or as .xlsx) and upload it again.");
            return null;
        }

        var records = new List<List<string>>();
        try
        {
            using var reader = CsvReader.FromText(text, CsvOptions);
            while (reader.Read())
            {
                var fields = new List<string>(reader.FieldCount);
                for (var i = 0; i < Math.Min(reader.FieldCount, MemberSheetLimits.MaxColumns + 1); i++)
                {
                    fields.Add(reader.GetString(i) ?? string.Empty);
                }

                records.Add(fields);
                if (records.Count > MemberSheetLimits.MaxRows + 1)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is CsvFormatException or CsvValidationException or InvalidDataException or FormatException)
        {
            errors.Add("file", $"The file could not be read as CSV (record {records.Count + 1}): a quote is not closed or is out of place. Save it from the spreadsheet as CSV UTF-8 and upload it again.");
            return null;
        }

        // Empty lines above the header are not rows of the sheet.
        while (records.Count > 0 && records[0].All(string.IsNullOrWhiteSpace))
        {
            records.RemoveAt(0);
        }

        if (records.Count == 0)
        {
            errors.Add("file", "The file is empty: the first line should hold the column headers and each line below it one member.");
            return null;
        }

        var width = records.Max(r => r.Count);
        var header = records[0];
        var columns = Enumerable.Range(0, width).Select(c =>
        {
            var text = c < header.Count ? header[c].Trim() : string.Empty;
            var problem = text.Length == 0 && records.Skip(1).Any(r => c < r.Count && !string.IsNullOrWhiteSpace(r[c]))
                ? "the column has values but no header; give it one (or delete the column)."
                : null;
            return new SheetColumn(c, Domain.Members.Sheet.Letter(c), text, problem);
        }).ToList();
        var rows = records.Skip(1).Select((r, i) => new SheetRow(i + 2, [.. r.Select(SheetCell.Of)])).ToList();
        return new Domain.Members.Sheet(columns, rows);
    }

    /// <summary>UTF-8 or UTF-16 (either byte order), with or without a byte-order mark; null for anything else.</summary>
    private static string? Decode(byte[] bytes)
    {
        try
        {
            if (bytes is [0xEF, 0xBB, 0xBF, ..])
            {
                return Strict(new UTF8Encoding(false, true), bytes, 3);
            }

            if (bytes is [0xFF, 0xFE, ..])
            {
                return Strict(new UnicodeEncoding(false, false, true), bytes, 2);
            }

            if (bytes is [0xFE, 0xFF, ..])
            {
                return Strict(new UnicodeEncoding(true, false, true), bytes, 2);
            }

            // Without a mark, UTF-16 shows itself by zero bytes: text that is mostly ASCII (headers, e-mails, commas) has one
            // in every other byte. UTF-8 text never holds a zero byte.
            var sample = bytes.AsSpan(0, Math.Min(bytes.Length, 4096));
            var zeroEven = 0;
            var zeroOdd = 0;
            for (var i = 0; i < sample.Length; i++)
            {
                if (sample[i] == 0)
                {
                    if (i % 2 == 0) { zeroEven++; } else { zeroOdd++; }
                }
            }

            if (zeroOdd > sample.Length / 8 && zeroOdd > zeroEven * 4)
            {
                return Strict(new UnicodeEncoding(false, false, true), bytes, 0);
            }

            if (zeroEven > sample.Length / 8 && zeroEven > zeroOdd * 4)
            {
                return Strict(new UnicodeEncoding(true, false, true), bytes, 0);
            }

            return zeroEven + zeroOdd > 0 ? null : Strict(new UTF8Encoding(false, true), bytes, 0);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static string Strict(Encoding encoding, byte[] bytes, int skip) => encoding.GetString(bytes, skip, bytes.Length - skip);

    // ---------------------------------------------------------------- writing

    /// <summary>A sheet in the import layout: the header row, then one row per member. Every cell is text.</summary>
    public static byte[] Write(SheetFormat format, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string?>> rows) =>
        format == SheetFormat.Csv ? Planning.CsvWriter.Write(header, rows) : WriteXlsx(header, rows);

    private static byte[] WriteXlsx(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string?>> rows)
    {
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var part = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            data.Append(RowOf(1, header));
            for (var i = 0; i < rows.Count; i++)
            {
                data.Append(RowOf((uint)(i + 2), rows[i]));
            }

            part.Worksheet = new Worksheet(
                new SheetViews(new SheetView(new Pane { VerticalSplit = 1, TopLeftCell = "A2", State = PaneStateValues.Frozen, ActivePane = PaneValues.BottomLeft })
                    { WorkbookViewId = 0 }),
                new Columns(header.Select((_, c) => new Column { Min = (uint)(c + 1), Max = (uint)(c + 1), Width = 24, CustomWidth = true })),
                data);
            workbook.Workbook.AppendChild(new Sheets(new DocumentFormat.OpenXml.Spreadsheet.Sheet
            {
                Id = workbook.GetIdOfPart(part), SheetId = 1, Name = "Members",
            }));
            workbook.Workbook.Save();
        }

        return buffer.ToArray();
    }

    /// <summary>Inline strings only: a value that begins with '=' is text in the cell, never a formula.</summary>
    private static Row RowOf(uint number, IReadOnlyList<string?> cells)
    {
        var row = new Row { RowIndex = number };
        for (var c = 0; c < cells.Count; c++)
        {
            if (string.IsNullOrEmpty(cells[c]))
            {
                continue;
            }

            row.Append(new Cell
            {
                CellReference = Domain.Members.Sheet.Letter(c) + number.ToString(CultureInfo.InvariantCulture),
                DataType = CellValues.InlineString,
                InlineString = new InlineString(new Text(cells[c]!) { Space = SpaceProcessingModeValues.Preserve }),
            });
        }

        return row;
    }
}
