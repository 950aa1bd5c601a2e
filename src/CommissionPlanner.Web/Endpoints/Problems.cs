namespace CommissionPlanner.Web.Endpoints;

/// <summary>
/// Collects every problem with a request, keyed by the field's JSON path, so a caller sees them all at once.
/// </summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public void Merge(string prefix, ValidationErrors other)
    {
        foreach (var (field, messages) in other._errors)
        {
            foreach (var message in messages)
            {
                Add(string.IsNullOrEmpty(prefix) ? field : $"{prefix}.{field}", message);
            }
        }
    }

    /// <summary>Adds an error when a required string is missing or longer than allowed; returns the trimmed value.</summary>
    public string? Required(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"'{field}' is required.");
            return null;
        }

        return Optional(field, value, maxLength);
    }

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

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public IResult ToResult(string? detail = null) => TypedResults.ValidationProblem(
        ToDictionary(),
        detail: detail ?? "Correct the fields listed in 'errors' and send the request again.",
        title: "The request is invalid.");
}

/// <summary>Problem details for the contract's common answers.</summary>
public static class Problems
{
    public static IResult NotFound(string what) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Not found.",
        detail: $"No {what} with that id exists, or you may not see it.");

    public static IResult Conflict(string detail, IDictionary<string, object?>? extensions = null) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "The request conflicts with the current state.",
        detail: detail,
        extensions: extensions);

    public static IResult BadRequest(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return errors.ToResult();
    }
}
