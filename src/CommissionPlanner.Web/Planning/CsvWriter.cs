using CsvHelper;

namespace CommissionPlanner.Web.Planning;

/// <summary>
/// RFC 4180 CSV that Excel and LibreOffice open correctly with Chinese names: UTF-8 with a byte-order mark, CRLF line
/// ends, written by CsvHelper. Every cell that holds a delimiter any spreadsheet might split on (comma, semicolon, tab),
/// a quote or a line break is quoted, so a locale that splits on ';' still sees one cell; and a cell a spreadsheet would
/// run as a formula (starting with =, +, -, @, tab or CR) is neutralised with a leading apostrophe, by CsvHelper's
/// injection escaping (which quotes it too).
/// </summary>
public static class CsvWriter
{
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>Delimiters a spreadsheet may split on besides the comma: a cell holding one is quoted.</summary>
    private static readonly System.Buffers.SearchValues<char> OtherDelimiters = System.Buffers.SearchValues.Create(";\t");

    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        WriteByteOrderMark = true,
        NewLine = "\r\n",
        Quoting = CsvQuoting.WhenNeededOrWhitespace,
        ShouldQuote = (field, _, _, _) => field.IndexOfAny(OtherDelimiters) >= 0,
        Injection = CsvInjection.Escape,
        InjectionCharacters = "=+-@\t\r",
        InjectionEscape = '\'',
    };

    public static byte[] Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        using var buffer = new MemoryStream();
        using (var csv = CsvHelper.CsvWriter.Create(buffer, Options, leaveOpen: true))
        {
            WriteRow(csv, header);
            foreach (var row in rows)
            {
                WriteRow(csv, row);
            }

            csv.Flush();
        }

        return buffer.ToArray();
    }

    private static void WriteRow(CsvHelper.CsvWriter csv, IReadOnlyList<string?> cells)
    {
        foreach (var cell in cells)
        {
            csv.WriteField(cell ?? string.Empty);
        }

        csv.EndRecord();
    }
}
