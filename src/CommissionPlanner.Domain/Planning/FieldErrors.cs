namespace CommissionPlanner.Domain.Planning;

/// <summary>
/// Every problem with an input, keyed by the field's JSON path (<c>venues[2].latitude</c>), so a caller sees
/// them all at once. The API and the programme import both validate through the same specs into this.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    public int Count => errors.Values.Sum(list => list.Count);

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
    }

    /// <summary>Copies another set of errors under a path prefix (e.g. <c>engagements[3]</c>).</summary>
    public void Merge(string prefix, FieldErrors other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (field, messages) in other.errors)
        {
            foreach (var message in messages)
            {
                Add(string.IsNullOrEmpty(prefix) ? field : $"{prefix}.{field}", message);
            }
        }
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Adds an error when a required text is missing or too long; returns it trimmed.</summary>
    public string? Required(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"'{field}' is required.");
            return null;
        }

        return Optional(field, value, maxLength);
    }

    /// <summary>Adds an error when an optional text is too long; returns it trimmed, or null when blank.</summary>
    public string? Optional(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
        {
            Add(field, $"'{field}' must be at most {maxLength} characters.");
        }

        return trimmed;
    }

    /// <summary>Parses a wire enum name, adding an error that lists the allowed names when it is not one.</summary>
    public T? Choice<T>(string field, string? value, TryParseWire<T> tryParse, IReadOnlyList<string> names, bool required = true)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(tryParse);
        if (value is null && !required)
        {
            return null;
        }

        if (tryParse(value, out var parsed))
        {
            return parsed;
        }

        Add(field, $"'{field}' must be one of: {string.Join(", ", names)}.");
        return null;
    }
}

public delegate bool TryParseWire<T>(string? wire, out T value);
