using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CommissionPlanner.Web.Tests.Members;

/// <summary>
/// Real .xlsx files for the tests, written with the Open XML SDK as a spreadsheet program would: text in the shared string
/// table, formulas as formulas, a date as a number with a date format, and merged cells or hidden columns when asked.
/// </summary>
public sealed class Workbook
{
    private readonly List<object?[]> rows = [];
    private readonly List<string> merges = [];
    private readonly List<int> hiddenColumns = [];

    public Workbook Row(params object?[] cells)
    {
        rows.Add(cells);
        return this;
    }

    public Workbook Merge(string range)
    {
        merges.Add(range);
        return this;
    }

    /// <summary>Hides a column (1-based, as spreadsheets number them).</summary>
    public Workbook HideColumn(int column)
    {
        hiddenColumns.Add(column);
        return this;
    }

    /// <summary>A formula cell: <c>new Formula("HYPERLINK(…)")</c>, written with a cached value as Excel does.</summary>
    public sealed record Formula(string Text, string Cached);

    /// <summary>A date typed into a cell: stored as its serial number with a date format.</summary>
    public sealed record TypedDate(DateTime Value);

    public byte[] Bytes()
    {
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new DocumentFormat.OpenXml.Spreadsheet.Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new Fonts(new Font()), new Fills(new Fill(new PatternFill { PatternType = PatternValues.None })),
                new Borders(new Border()), new CellStyleFormats(new CellFormat()),
                new CellFormats(new CellFormat(), new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true }));
            var shared = workbook.AddNewPart<SharedStringTablePart>();
            shared.SharedStringTable = new SharedStringTable();
            var strings = new List<string>();
            var part = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            for (var r = 0; r < rows.Count; r++)
            {
                var row = new Row { RowIndex = (uint)(r + 1) };
                for (var c = 0; c < rows[r].Length; c++)
                {
                    var reference = $"{(char)('A' + c)}{r + 1}";
                    switch (rows[r][c])
                    {
                        case null or "":
                            break;
                        case string text:
                            var index = strings.IndexOf(text);
                            if (index < 0)
                            {
                                strings.Add(text);
                                index = strings.Count - 1;
                            }

                            row.Append(new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(index) });
                            break;
                        case Formula formula:
                            row.Append(new Cell { CellReference = reference, DataType = CellValues.String, CellFormula = new CellFormula(formula.Text), CellValue = new CellValue(formula.Cached) });
                            break;
                        case TypedDate date:
                            row.Append(new Cell { CellReference = reference, StyleIndex = 1, CellValue = new CellValue(date.Value.ToOADate()) });
                            break;
                        case int number:
                            row.Append(new Cell { CellReference = reference, CellValue = new CellValue(number) });
                            break;
                        default:
                            throw new ArgumentException($"Cannot write a {rows[r][c]!.GetType().Name}.");
                    }
                }

                data.Append(row);
            }

            foreach (var text in strings)
            {
                shared.SharedStringTable.Append(new SharedStringItem(new Text(text)));
            }

            var worksheet = new Worksheet();
            if (hiddenColumns.Count > 0)
            {
                worksheet.Append(new Columns(hiddenColumns.Select(c => new Column { Min = (uint)c, Max = (uint)c, Hidden = true, Width = 10, CustomWidth = true })));
            }

            worksheet.Append(data);
            if (merges.Count > 0)
            {
                worksheet.Append(new MergeCells(merges.Select(m => new MergeCell { Reference = m })));
            }

            part.Worksheet = worksheet;
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = 1, Name = "Delegation" }));
            workbook.Workbook.Save();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a workbook back as text rows (for the export tests), and whether any cell holds a formula.</summary>
    public static (List<List<string>> Rows, bool HasFormula) ReadBack(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        using var document = SpreadsheetDocument.Open(stream, false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().First();
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
        var strings = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
        var result = new List<List<string>>();
        var hasFormula = false;
        foreach (var row in part.Worksheet.GetFirstChild<SheetData>()!.Elements<Row>())
        {
            var cells = new List<string>();
            foreach (var cell in row.Elements<Cell>())
            {
                var column = cell.CellReference!.Value![0] - 'A';
                while (cells.Count < column)
                {
                    cells.Add(string.Empty);
                }

                hasFormula |= cell.CellFormula is not null;
                cells.Add(cell.DataType?.Value == CellValues.InlineString ? cell.InlineString!.InnerText
                    : cell.DataType?.Value == CellValues.SharedString ? strings[int.Parse(cell.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)]
                    : cell.CellValue?.Text ?? string.Empty);
            }

            result.Add(cells);
        }

        return (result, hasFormula);
    }
}
