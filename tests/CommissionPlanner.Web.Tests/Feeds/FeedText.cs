using System.Text;

namespace CommissionPlanner.Web.Tests.Feeds;

/// <summary>
/// A small, independent reader of iCalendar text for assertions (RFC 5545 unfolding, components,
/// properties): no Ical.Net, so the tests do not share the renderer's assumptions.
/// </summary>
internal static class FeedText
{
    /// <summary>RFC 5545 §3.1 unfolding: CRLF followed by one space or tab is removed.</summary>
    public static string Unfold(string text) =>
        text.Replace("\r\n ", string.Empty, StringComparison.Ordinal).Replace("\r\n\t", string.Empty, StringComparison.Ordinal);

    public static IReadOnlyList<string> LogicalLines(string text) =>
        Unfold(text).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The property lines of each VEVENT (nested components such as VALARM included as lines).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Events(string text) => Components(text, "VEVENT");

    public static IReadOnlyList<IReadOnlyList<string>> Components(string text, string component)
    {
        var result = new List<IReadOnlyList<string>>();
        List<string>? current = null;
        var depth = 0;
        foreach (var line in LogicalLines(text))
        {
            if (current is null)
            {
                if (line == "BEGIN:" + component)
                {
                    current = [];
                    depth = 0;
                }

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

    /// <summary>The VEVENT whose UID belongs to the engagement (UIDs are "{id}@…"); fails when there is not exactly one.</summary>
    public static IReadOnlyList<string> EventFor(string text, string engagementId)
    {
        var matching = Events(text).Where(e => UidOf(e).StartsWith(engagementId, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(matching.Count == 1, $"Expected one VEVENT for engagement {engagementId}, found {matching.Count} in:\n{text}");
        return matching[0];
    }

    public static bool HasEventFor(string text, string engagementId) =>
        Events(text).Any(e => UidOf(e).StartsWith(engagementId, StringComparison.OrdinalIgnoreCase));

    public static string UidOf(IEnumerable<string> vevent) => Value(vevent, "UID") ?? string.Empty;

    /// <summary>Whole lines (with parameters) of properties called <paramref name="name"/>.</summary>
    public static IReadOnlyList<string> Props(IEnumerable<string> lines, string name) =>
        [.. lines.Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase) || l.StartsWith(name + ";", StringComparison.OrdinalIgnoreCase))];

    /// <summary>The raw (still escaped) value of the only property called <paramref name="name"/>, or null.</summary>
    public static string? Value(IEnumerable<string> lines, string name)
    {
        var found = Props(lines, name);
        Assert.True(found.Count <= 1, $"{name} appears {found.Count} times: {string.Join(" | ", found)}");
        return found.Count == 0 ? null : ValueOf(found[0]);
    }

    public static int Sequence(IEnumerable<string> vevent) =>
        int.Parse(Value(vevent, "SEQUENCE") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

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

    /// <summary>A parameter's value on a content line (unquoted), or null.</summary>
    public static string? Parameter(string line, string name)
    {
        var head = line[..(line.Length - ValueOf(line).Length - 1)];
        foreach (var part in head.Split(';').Skip(1))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && part[..eq].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return part[(eq + 1)..].Trim('"');
            }
        }

        return null;
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
}
