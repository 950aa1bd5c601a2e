using System.Text;

namespace CommissionPlanner.Calendar;

/// <summary>
/// Content-line folding (RFC 5545 §3.1), done here rather than by Ical.Net: Ical.Net 5.2.4 folds by UTF-16
/// chars and splits surrogate pairs (an emoji at the fold point becomes two lone surrogates, which encode as
/// U+FFFD garbage). We unfold its output and fold again at 75 octets on code-point boundaries, never
/// between a backslash and the character it escapes, with CRLF line ends and a CRLF at the end.
/// </summary>
internal static class ContentLines
{
    public const int MaxOctets = 75;

    /// <summary>Joins folded lines: a CRLF followed by one space or tab is removed.</summary>
    public static string Unfold(string text) =>
        text.Replace("\r\n ", string.Empty, StringComparison.Ordinal).Replace("\r\n\t", string.Empty, StringComparison.Ordinal);

    /// <summary>Unfolds <paramref name="text"/> and folds every logical line again at 75 octets.</summary>
    public static string Refold(string text)
    {
        var builder = new StringBuilder(text.Length + (text.Length / 64));
        foreach (var line in Unfold(text).Split("\r\n"))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Contains('\r', StringComparison.Ordinal) || line.Contains('\n', StringComparison.Ordinal))
            {
                throw new InvalidOperationException("A content line holds a bare CR or LF; text values must be escaped.");
            }

            FoldLine(line, builder);
        }

        return builder.ToString();
    }

    private static void FoldLine(string line, StringBuilder builder)
    {
        var octets = 0;
        var i = 0;
        while (i < line.Length)
        {
            // The unit that must not be split: one code point, or a backslash and the code point it escapes.
            var length = CodePointLength(line, i);
            if (line[i] == '\\' && i + length < line.Length)
            {
                length += CodePointLength(line, i + length);
            }

            var size = Encoding.UTF8.GetByteCount(line.AsSpan(i, length));
            if (octets + size > MaxOctets)
            {
                builder.Append("\r\n ");
                octets = 1;
            }

            builder.Append(line, i, length);
            octets += size;
            i += length;
        }

        builder.Append("\r\n");
    }

    private static int CodePointLength(string s, int index) =>
        char.IsHighSurrogate(s[index]) && index + 1 < s.Length && char.IsLowSurrogate(s[index + 1]) ? 2 : 1;
}
