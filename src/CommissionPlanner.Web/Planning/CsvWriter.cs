using System.Text;

namespace CommissionPlanner.Web.Planning;

/// <summary>
/// RFC 4180 CSV that Excel and LibreOffice open correctly with Chinese names: UTF-8 with a byte-order mark,
/// CRLF line ends, quoting where needed, and cells that a spreadsheet would run as a formula neutralised.
/// </summary>
public static class CsvWriter
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static byte[] Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        AppendRow(text, header);
        foreach (var row in rows)
        {
            AppendRow(text, row);
        }

        var bom = Encoding.UTF8.GetPreamble();
        var body = Encoding.UTF8.GetBytes(text.ToString());
        return [.. bom, .. body];
    }

    /// <summary>
    /// A cell starting with =, +, - or @ is a formula to a spreadsheet (CSV injection), so it gets a leading
    /// apostrophe, which spreadsheets show as text. Tabs and carriage returns at the start are treated alike.
    /// </summary>
    public static string Neutralise(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    private static void AppendRow(StringBuilder text, IReadOnlyList<string?> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            var cell = Neutralise(cells[i] ?? string.Empty);
            if (cell.IndexOfAny([',', '"', '\r', '\n']) >= 0)
            {
                text.Append('"').Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                text.Append(cell);
            }
        }

        text.Append("\r\n");
    }
}
