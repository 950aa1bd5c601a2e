using System.Text;

namespace CommissionPlanner.Calendar.Tests.Support;

/// <summary>Small, independent readers of rendered iCalendar text for assertions.</summary>
internal static class Ics
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Bytes(string text) => StrictUtf8.GetBytes(text);

    /// <summary>RFC 5545 §3.1 unfolding: CRLF followed by one space or tab is removed.</summary>
    public static string Unfold(string text) => text.Replace("\r\n ", "", StringComparison.Ordinal).Replace("\r\n\t", "", StringComparison.Ordinal);

    public static IReadOnlyList<string> LogicalLines(string text) =>
        Unfold(text).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The property lines of each component named <paramref name="component"/> (not nested ones).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Components(string text, string component)
    {
        var result = new List<IReadOnlyList<string>>();
        List<string>? current = null;
        var depth = 0;
        foreach (var line in LogicalLines(text))
        {
            if (line == "BEGIN:" + component)
            {
                current = [];
                depth = 0;
                continue;
            }

            if (current is null)
            {
                continue;
            }

            if (line == "END:" + component && depth == 0)
            {
                result.Add(current);
                current = null;
                continue;
            }

            if (line.StartsWith("BEGIN:", StringComparison.Ordinal))
            {
                depth++;
            }
            else if (line.StartsWith("END:", StringComparison.Ordinal))
            {
                depth--;
            }

            current.Add(line);
        }

        return result;
    }

    /// <summary>Whole lines (with parameters) of properties called <paramref name="name"/>.</summary>
    public static IReadOnlyList<string> Props(IEnumerable<string> lines, string name) =>
        lines.Where(l => l.StartsWith(name + ":", StringComparison.Ordinal) || l.StartsWith(name + ";", StringComparison.Ordinal)).ToList();

    /// <summary>The raw (still escaped) value of the only property called <paramref name="name"/>, or null.</summary>
    public static string? Value(IEnumerable<string> lines, string name)
    {
        var found = Props(lines, name);
        Assert.True(found.Count <= 1, $"{name} appears {found.Count} times");
        return found.Count == 0 ? null : ValueOf(found[0]);
    }

    /// <summary>The value part of a content line: after the first colon not inside a quoted parameter.</summary>
    public static string ValueOf(string line)
    {
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                quoted = !quoted;
            }
            else if (line[i] == ':' && !quoted)
            {
                return line[(i + 1)..];
            }
        }

        throw new InvalidOperationException($"No value in '{line}'");
    }

    /// <summary>RFC 5545 TEXT unescaping.</summary>
    public static string UnescapeText(string value)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
                builder.Append(value[i] is 'n' or 'N' ? '\n' : value[i]);
            }
            else
            {
                builder.Append(value[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Octet-level checks on the wire form: no BOM, strictly valid UTF-8, only CRLF line ends, ending with
    /// CRLF, every physical line at most 75 octets, no line split inside a UTF-8 sequence.
    /// </summary>
    public static void AssertWellFormedBytes(byte[] bytes)
    {
        Assert.False(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "byte-order mark");
        Assert.True(bytes.Length >= 2 && bytes[^2] == '\r' && bytes[^1] == '\n', "must end with CRLF");
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n')
            {
                Assert.True(i > 0 && bytes[i - 1] == '\r', $"bare LF at octet {i}");
                var length = i - 1 - start;
                Assert.True(length <= 75, $"physical line of {length} octets at octet {start}");
                // Each physical line on its own must be valid UTF-8: a fold never splits a sequence.
                var line = bytes.AsSpan(start, length);
                Assert.True(IsStrictUtf8(line), $"physical line at octet {start} is not valid UTF-8 on its own");
                start = i + 1;
            }
            else if (bytes[i] == '\r')
            {
                Assert.True(i + 1 < bytes.Length && bytes[i + 1] == '\n', $"bare CR at octet {i}");
            }
        }

        Assert.True(IsStrictUtf8(bytes), "not valid UTF-8");
    }

    private static bool IsStrictUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
