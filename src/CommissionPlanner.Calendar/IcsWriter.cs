using System.Buffers;
using System.Globalization;
using System.Text;
using NodaTime;

namespace CommissionPlanner.Calendar;

/// <summary>
/// Writes iCalendar (RFC 5545) content lines, <c>NAME;PARAM=value:value</c>: TEXT escaped, parameter values
/// cleaned and quoted, each line folded at 75 octets, CRLF line ends and a CRLF at the end. A line starts with
/// <see cref="Property"/>, takes parameters, then value parts, and ends with <see cref="EndLine"/>.
/// </summary>
/// <remarks>
/// A line is assembled in a reusable buffer and appended to the output once, folded on the way when it is longer
/// than 75 octets: a fold never splits a code point (a surrogate pair would become two U+FFFD in UTF-8) nor a
/// backslash from the character after it, and a continuation line starts with one space. The output is one
/// <see cref="StringBuilder"/> that starts at, and grows by, chunks of 8,000 chars (its largest), so that whatever
/// the size of a feed nothing but the UTF-8 result of a large one lands on the large object heap.
/// </remarks>
internal sealed class IcsWriter
{
    private const int MaxOctets = 75;

    // A UTF-16 char is at most 3 UTF-8 octets (a surrogate pair: 4 for 2 chars), so a line this short always fits.
    private const int AlwaysFits = MaxOctets / 3;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // What TEXT escaping has to look at: the escaped characters, controls (to become spaces) and surrogates
    // (a lone one becomes U+FFFD). Everything between is copied as a run.
    private static readonly SearchValues<char> TextSpecials = SearchValues.Create(
        "\\;," + Range('\u0000', '\u001F') + Range('\u007F', '\u009F') + Range('\uD800', '\uDFFF'));

    private readonly StringBuilder text = new(8_000);
    private char[] line = new char[512];
    private int length;
    private bool inValue;

    /// <summary>A <c>BEGIN:</c> line.</summary>
    public void Begin(string component) => Property("BEGIN").Raw(component).EndLine();

    /// <summary>An <c>END:</c> line.</summary>
    public void End(string component) => Property("END").Raw(component).EndLine();

    /// <summary>Starts a content line with the property name.</summary>
    public IcsWriter Property(string name)
    {
        length = 0;
        inValue = false;
        Put(name);
        return this;
    }

    /// <summary>
    /// <c>;NAME=value</c>. RFC 5545 §3.1 allows no control characters and no DQUOTE in a parameter value: line
    /// breaks, tabs and other controls become spaces, DQUOTE an apostrophe, lone surrogates U+FFFD, and the
    /// result is trimmed; it is quoted when it holds ';', ':' or ','.
    /// </summary>
    public IcsWriter Parameter(string name, string value)
    {
        Put(';');
        Put(name);
        Put('=');
        var span = value.AsSpan();
        var start = 0;
        while (start < span.Length && IsBlankInParameter(span[start]))
        {
            start++;
        }

        var end = span.Length;
        while (end > start && IsBlankInParameter(span[end - 1]))
        {
            end--;
        }

        span = span[start..end];
        var quoted = span.IndexOfAny(";:,") >= 0;
        if (quoted)
        {
            Put('"');
        }

        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (char.IsSurrogate(c))
            {
                i += PutSurrogate(span, i);
            }
            else if (c == '"')
            {
                Put('\'');
            }
            else if (char.IsControl(c))
            {
                // CRLF is one line break, so one space.
                if (c == '\r' && i + 1 < span.Length && span[i + 1] == '\n')
                {
                    i++;
                }

                Put(' ');
            }
            else
            {
                Put(c);
            }
        }

        if (quoted)
        {
            Put('"');
        }

        return this;
    }

    /// <summary>
    /// Appends a TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped; CRLF, CR and LF
    /// written as \n; tabs kept; other control characters (not allowed in TEXT) as spaces; lone surrogates as U+FFFD.
    /// </summary>
    public IcsWriter Text(ReadOnlySpan<char> value)
    {
        StartValue();
        while (!value.IsEmpty)
        {
            var run = value.IndexOfAny(TextSpecials);
            if (run < 0)
            {
                Put(value);
                return this;
            }

            Put(value[..run]);
            var c = value[run];
            var used = 1;
            switch (c)
            {
                case '\\' or ';' or ',':
                    Put('\\');
                    Put(c);
                    break;
                case '\n':
                    Put(@"\n");
                    break;
                case '\r':
                    used = run + 1 < value.Length && value[run + 1] == '\n' ? 2 : 1;
                    Put(@"\n");
                    break;
                case '\t':
                    Put(c);
                    break;
                default:
                    if (char.IsSurrogate(c))
                    {
                        used += PutSurrogate(value, run);
                    }
                    else
                    {
                        Put(' ');
                    }

                    break;
            }

            value = value[(run + used)..];
        }

        return this;
    }

    /// <summary>Appends a value part as it is (a code, a URI, a number); it must not hold a line break.</summary>
    public IcsWriter Raw(ReadOnlySpan<char> value)
    {
        if (value.IndexOfAny('\r', '\n') >= 0)
        {
            throw new InvalidOperationException("A content line holds a bare CR or LF; text values must be escaped.");
        }

        StartValue();
        Put(value);
        return this;
    }

    /// <summary>Separates the values of a multi-valued property (CATEGORIES, RDATE).</summary>
    public IcsWriter NextValue()
    {
        Put(',');
        return this;
    }

    /// <summary>A UUID in its hyphenated form (RFC 4122), lower case.</summary>
    public IcsWriter Uuid(Guid value) => Formatted(value, "D");

    public IcsWriter Integer(int value) => Formatted(value, default);

    /// <summary>
    /// A number with six decimals, as GEO has it (RFC 5545 §3.8.1.6). The custom format, as Ical.Net used, rounds
    /// from 15 significant digits; "F6" rounds from the exact value and can differ when the seventh decimal is 5
    /// (51.5040005: 51.504001 against 51.504000).
    /// </summary>
    public IcsWriter Decimal(double value) => Formatted(value, "0.000000");

    /// <summary>A local ("floating") DATE-TIME, <c>20260302T080000</c>: with a TZID parameter, or in a VTIMEZONE.</summary>
    public IcsWriter LocalDateTime(LocalDateTime local)
    {
        StartValue();
        PutDigits(local.Year, 4);
        PutDigits(local.Month, 2);
        PutDigits(local.Day, 2);
        Put('T');
        PutDigits(local.Hour, 2);
        PutDigits(local.Minute, 2);
        PutDigits(local.Second, 2);
        return this;
    }

    /// <summary>A UTC DATE-TIME, <c>20251002T143015Z</c> (whole seconds).</summary>
    public IcsWriter UtcDateTime(Instant instant)
    {
        LocalDateTime(instant.InUtc().LocalDateTime);
        Put('Z');
        return this;
    }

    /// <summary>A UTC-OFFSET, <c>+0100</c>, or <c>-045602</c> when it has seconds (tzdb's local mean times).</summary>
    public IcsWriter UtcOffset(Offset offset)
    {
        StartValue();
        var seconds = offset.Seconds;
        var magnitude = Math.Abs(seconds);
        Put(seconds < 0 ? '-' : '+');
        PutDigits(magnitude / 3600, 2);
        PutDigits(magnitude % 3600 / 60, 2);
        if (magnitude % 60 != 0)
        {
            PutDigits(magnitude % 60, 2);
        }

        return this;
    }

    /// <summary>Ends the content line: appends it to the output, folded if it is longer than 75 octets, and CRLF.</summary>
    public void EndLine()
    {
        var chars = line.AsSpan(0, length);
        if (length <= AlwaysFits || Encoding.UTF8.GetByteCount(chars) <= MaxOctets)
        {
            text.Append(chars);
        }
        else
        {
            Fold(chars);
        }

        text.Append("\r\n");
        length = 0;
    }

    public override string ToString() => text.ToString();

    /// <summary>The text as UTF-8 without a byte-order mark, encoded straight from the builder's chunks.</summary>
    public byte[] ToUtf8()
    {
        // One encoder for both passes: it carries a surrogate pair split across two chunks. Its fallback throws on
        // a lone surrogate, which only an unchecked value (a URI) could bring.
        var encoder = Utf8NoBom.GetEncoder();
        Span<byte> scratch = stackalloc byte[1024];
        var count = 0;
        foreach (var chunk in text.GetChunks())
        {
            for (var chars = chunk.Span; !chars.IsEmpty;)
            {
                encoder.Convert(chars, scratch, flush: false, out var charsUsed, out var bytesUsed, out _);
                count += bytesUsed;
                chars = chars[charsUsed..];
            }
        }

        encoder.Convert([], scratch, flush: true, out _, out var lastBytes, out _);
        count += lastBytes;
        encoder.Reset();

        var bytes = new byte[count];
        var written = 0;
        foreach (var chunk in text.GetChunks())
        {
            written += encoder.GetBytes(chunk.Span, bytes.AsSpan(written), flush: false);
        }

        encoder.GetBytes([], bytes.AsSpan(written), flush: true);
        return bytes;
    }

    private static string Range(char first, char last) =>
        string.Create(last - first + 1, first, static (span, start) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)(start + i);
            }
        });

    private static bool IsBlankInParameter(char c) => char.IsControl(c) || char.IsWhiteSpace(c);

    private void StartValue()
    {
        if (!inValue)
        {
            Put(':');
            inValue = true;
        }
    }

    private IcsWriter Formatted<T>(T value, ReadOnlySpan<char> format)
        where T : ISpanFormattable
    {
        StartValue();
        int written;
        while (!value.TryFormat(line.AsSpan(length), out written, format, CultureInfo.InvariantCulture))
        {
            Grow(line.Length);
        }

        length += written;
        return this;
    }

    private void PutDigits(int value, int digits)
    {
        Reserve(digits);
        for (var i = length + digits - 1; i >= length; i--)
        {
            line[i] = (char)('0' + (value % 10));
            value /= 10;
        }

        length += digits;
    }

    private void Put(char c)
    {
        Reserve(1);
        line[length++] = c;
    }

    private void Put(ReadOnlySpan<char> value)
    {
        Reserve(value.Length);
        value.CopyTo(line.AsSpan(length));
        length += value.Length;
    }

    /// <summary>Puts a surrogate pair as it is or a lone surrogate as U+FFFD; returns how many extra chars it took.</summary>
    private int PutSurrogate(ReadOnlySpan<char> value, int index)
    {
        if (char.IsHighSurrogate(value[index]) && index + 1 < value.Length && char.IsLowSurrogate(value[index + 1]))
        {
            Put(value.Slice(index, 2));
            return 1;
        }

        Put('\uFFFD');
        return 0;
    }

    private void Reserve(int count)
    {
        if (length + count > line.Length)
        {
            Grow(count);
        }
    }

    private void Grow(int atLeast) => Array.Resize(ref line, Math.Max(line.Length * 2, length + atLeast));

    private void Fold(ReadOnlySpan<char> chars)
    {
        var octets = 0;
        var segment = 0;
        var i = 0;
        while (i < chars.Length)
        {
            // The unit that must not be split: one code point, or a backslash and the code point after it.
            var (unitLength, unitOctets) = CodePoint(chars, i);
            if (chars[i] == '\\' && i + unitLength < chars.Length)
            {
                var (nextLength, nextOctets) = CodePoint(chars, i + unitLength);
                unitLength += nextLength;
                unitOctets += nextOctets;
            }

            if (octets + unitOctets > MaxOctets)
            {
                text.Append(chars[segment..i]).Append("\r\n ");
                segment = i;
                octets = 1;
            }

            octets += unitOctets;
            i += unitLength;
        }

        text.Append(chars[segment..]);
    }

    /// <summary>The code point at <paramref name="index"/>: its length in chars and in UTF-8 octets.</summary>
    private static (int Length, int Octets) CodePoint(ReadOnlySpan<char> chars, int index)
    {
        var c = chars[index];
        if (char.IsHighSurrogate(c) && index + 1 < chars.Length && char.IsLowSurrogate(chars[index + 1]))
        {
            return (2, 4);
        }

        // A lone surrogate counts as the three octets of the U+FFFD it would be encoded as.
        return (1, c < 0x80 ? 1 : c < 0x800 ? 2 : 3);
    }
}
