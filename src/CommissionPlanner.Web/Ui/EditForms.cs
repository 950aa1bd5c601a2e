using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CommissionPlanner.Web.Ui;

/// <summary>
/// What the edit pages share: the form becomes a merge-patch body for the PATCH endpoint's own function, and the
/// version the form was read at travels as If-Match, so an edit made meanwhile by someone else is a 409, not lost.
/// </summary>
internal static class EditForms
{
    public static JsonElement Body(JsonObject fields) => JsonSerializer.SerializeToElement(fields);

    public static void SetIfMatch(HttpContext http, int? version)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (version is { } v)
        {
            http.Request.Headers.IfMatch = $"\"{v.ToString(CultureInfo.InvariantCulture)}\"";
        }
    }

    public static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>A whole number, null when blank; anything else is a field error.</summary>
    public static int? Integer(string field, string? text, FormErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.AddAll(new Dictionary<string, string[]> { [field] = [$"'{field}' must be a whole number."] });
        return null;
    }

    /// <summary>A decimal number, null when blank (the spec then says it is required); anything else is a field error.</summary>
    public static double? Number(string field, string? text, FormErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        errors.AddAll(new Dictionary<string, string[]> { [field] = [$"'{field}' must be a number in degrees, e.g. 39.9."] });
        return null;
    }

    public static string Degrees(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string? Format(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>Copies an endpoint's refusal onto the form: field errors beside their fields, anything else in the summary.</summary>
    public static void Show(EndpointOutcome outcome, FormErrors errors)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(errors);
        errors.AddAll(outcome.Errors);
        errors.Summary = outcome.Errors.Count == 0 || outcome.Status == StatusCodes.Status409Conflict ? outcome.Detail : null;
    }
}
