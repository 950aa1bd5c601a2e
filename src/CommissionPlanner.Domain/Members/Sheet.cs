namespace CommissionPlanner.Domain.Members;

/// <summary>What a cell held, as the file says (a reader never evaluates anything).</summary>
public enum CellKind
{
    Empty,
    Text,
    Number,

    /// <summary>A number the sheet formats as a date: spreadsheets turn "3/12" typed into a title into one.</summary>
    Date,

    /// <summary>A formula; <see cref="SheetCell.Text"/> is its text with the leading <c>=</c>, kept as data.</summary>
    Formula,
}

/// <summary>One cell: its kind and its text (a number in invariant form, a date as yyyy-MM-dd, a formula as written).</summary>
public sealed record SheetCell(CellKind Kind, string Text)
{
    public static SheetCell Empty { get; } = new(CellKind.Empty, string.Empty);

    public static SheetCell Of(string? text) => string.IsNullOrEmpty(text) ? Empty : new(CellKind.Text, text);
}

/// <summary>A header cell: its position (0-based), its reference letter, its text, and why it cannot be trusted (merged, hidden).</summary>
public sealed record SheetColumn(int Index, string Letter, string Header, string? Problem = null);

/// <summary>A data row: its number as the sheet shows it (the header is row 1), its cells by column index, and why it cannot be trusted.</summary>
public sealed record SheetRow(int Number, IReadOnlyList<SheetCell> Cells, string? Problem = null)
{
    public SheetCell this[int column] => column < Cells.Count ? Cells[column] : SheetCell.Empty;

    public bool IsBlank => Cells.All(c => c.Kind == CellKind.Empty || string.IsNullOrWhiteSpace(c.Text));
}

/// <summary>A sheet as a file reader found it: the header row's columns and the rows under it (blank ones included).</summary>
public sealed record Sheet(IReadOnlyList<SheetColumn> Columns, IReadOnlyList<SheetRow> Rows)
{
    /// <summary>A column's letters as spreadsheets show them: 0 → A, 25 → Z, 26 → AA.</summary>
    public static string Letter(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var letters = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }

        return letters;
    }
}
