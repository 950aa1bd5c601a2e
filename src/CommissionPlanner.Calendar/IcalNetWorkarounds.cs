using System.Text;

namespace CommissionPlanner.Calendar;

/// <summary>
/// The places where Ical.Net 5.2.4 writes something a calendar client cannot read back as it was meant, each fixed at
/// the narrowest point. Every one has a test that fails without it (FoldingAndEscapingTests, IcalNetWorkaroundTests).
/// </summary>
internal static class IcalNetWorkarounds
{
    private const int MaxOctets = 75;

    /// <summary>
    /// A TEXT value made safe for Ical.Net's <c>StringSerializer</c>, which escapes only backslash, ';', ',', CR and LF
    /// and writes every other control character raw: RFC 5545 allows none in TEXT (but HTAB), and Ical.Net's own
    /// parser then refuses the line. Controls become spaces, CRLF and CR become LF (written as \n), and a lone
    /// surrogate (which UTF-8 cannot carry, and which the fold repair below must not pair with a neighbour) U+FFFD.
    /// </summary>
    public static string Text(string value)
    {
        var i = 0;
        while (i < value.Length && IsPlain(value[i]))
        {
            i++;
        }

        if (i == value.Length)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        builder.Append(value, 0, i);
        for (; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                builder.Append('\uFFFD');
            }
            else if (c == '\r')
            {
                builder.Append('\n');
                if (i + 1 < value.Length && value[i + 1] == '\n')
                {
                    i++;
                }
            }
            else
            {
                builder.Append(c is '\n' or '\t' || !char.IsControl(c) ? c : ' ');
            }
        }

        return builder.ToString();

        static bool IsPlain(char c) => !char.IsControl(c) && !char.IsSurrogate(c);
    }

    /// <summary>
    /// A parameter value (CN) made safe for Ical.Net's <c>ParameterSerializer</c>, which writes it raw: a line break
    /// there ends the content line early (the rest becomes a line of its own, a property injection), and a control
    /// character is not allowed in a parameter at all. It also drops DQUOTE, which RFC 5545 forbids even in a quoted
    /// value; an apostrophe is kept in its place so that a quoted nickname stays readable. Trimmed.
    /// </summary>
    public static string ParameterText(string value) =>
        Text(value).Replace('\n', ' ').Replace('\t', ' ').Replace('"', '\'').Trim();

    /// <summary>
    /// Repairs Ical.Net's folding where it splits a surrogate pair. <c>TextUtil.FoldLines</c> walks a line one UTF-16
    /// char at a time, so an emoji (two chars) that reaches the 75th octet gets CRLF + space between its halves: two
    /// lone surrogates, which UTF-8 turns into two U+FFFD, and the emoji is lost for every client. Only the logical
    /// lines where that happened are unfolded and folded again at 75 octets on code-point boundaries; the rest of
    /// the text is Ical.Net's as it is.
    /// </summary>
    public static string KeepSurrogatePairsWhole(string serialized)
    {
        var split = FindSplitPair(serialized, 0);
        if (split < 0)
        {
            return serialized;
        }

        var builder = new StringBuilder(serialized.Length + 16);
        var copied = 0;
        while (split >= 0)
        {
            var lineStart = LogicalLineStart(serialized, split);
            var lineEnd = LogicalLineEnd(serialized, split);
            builder.Append(serialized, copied, lineStart - copied);
            Refold(builder, serialized.AsSpan(lineStart, lineEnd - lineStart).ToString().Replace("\r\n ", string.Empty, StringComparison.Ordinal));
            copied = lineEnd;
            split = FindSplitPair(serialized, lineEnd);
        }

        builder.Append(serialized, copied, serialized.Length - copied);
        return builder.ToString();
    }

    /// <summary>The index of a high surrogate followed by CRLF, space and a low surrogate, or -1.</summary>
    private static int FindSplitPair(string text, int from)
    {
        for (var i = text.IndexOf("\r\n ", from, StringComparison.Ordinal); i >= 0; i = text.IndexOf("\r\n ", i + 3, StringComparison.Ordinal))
        {
            if (i > 0 && char.IsHighSurrogate(text[i - 1]) && i + 3 < text.Length && char.IsLowSurrogate(text[i + 3]))
            {
                return i - 1;
            }
        }

        return -1;
    }

    private static int LogicalLineStart(string text, int index)
    {
        for (var i = text.LastIndexOf("\r\n", index, StringComparison.Ordinal); i >= 0; i = i == 0 ? -1 : text.LastIndexOf("\r\n", i - 1, StringComparison.Ordinal))
        {
            if (i + 2 < text.Length && text[i + 2] != ' ')
            {
                return i + 2;
            }
        }

        return 0;
    }

    /// <summary>The index just past the CRLF that ends the logical line holding <paramref name="index"/>.</summary>
    private static int LogicalLineEnd(string text, int index)
    {
        for (var i = text.IndexOf("\r\n", index, StringComparison.Ordinal); i >= 0; i = text.IndexOf("\r\n", i + 2, StringComparison.Ordinal))
        {
            if (i + 2 >= text.Length || text[i + 2] != ' ')
            {
                return i + 2;
            }
        }

        return text.Length;
    }

    /// <summary>Appends <paramref name="line"/> folded at 75 octets between code points, with its CRLF.</summary>
    private static void Refold(StringBuilder builder, string line)
    {
        if (line.EndsWith("\r\n", StringComparison.Ordinal))
        {
            line = line[..^2];
        }

        var octets = 0;
        for (var i = 0; i < line.Length;)
        {
            var pair = char.IsHighSurrogate(line[i]) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1]);
            var length = pair ? 2 : 1;
            var size = pair ? 4 : line[i] < 0x80 ? 1 : line[i] < 0x800 ? 2 : 3;
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
}
