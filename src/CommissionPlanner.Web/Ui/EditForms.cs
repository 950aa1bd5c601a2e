using System.Globalization;
using CommissionPlanner.Web.Commands;
using Microsoft.Extensions.Localization;

namespace CommissionPlanner.Web.Ui;

/// <summary>
/// What the edit pages share: parsing form text, and presenting a command's refusal. Every edit form carries the version it
/// showed (a hidden field) and the page sends it to the command as the expected version, so a change someone else saved
/// meanwhile is shown beside the person's own values (<see cref="EditConflict"/>) instead of being overwritten.
/// </summary>
internal static class EditForms
{
    private static readonly IStringLocalizer L = Localised.For(typeof(EditForms));

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

        errors.AddAll(new Dictionary<string, string[]> { [field] = [L["'{0}' must be a whole number.", field].Value] });
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

        errors.AddAll(new Dictionary<string, string[]> { [field] = [L["'{0}' must be a number in degrees, e.g. 39.9.", field].Value] });
        return null;
    }

    public static string Degrees(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string? Format(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The refusal of a post that did not say which version its form showed (a page from before forms carried one, or a
    /// hand-made post): without it a save could overwrite a change it never saw.
    /// </summary>
    public static Failure MissingVersion() => Failure.Invalid("version",
        L["This form did not say which version of the record it showed, so saving it could overwrite someone else's change. Open the page again and reapply your change."].Value);

    /// <summary>The HTTP status a page answers a refusal with: the one the API would.</summary>
    public static int StatusOf(Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.Kind switch
        {
            FailureKind.Invalid => StatusCodes.Status400BadRequest,
            FailureKind.NotFound => StatusCodes.Status404NotFound,
            FailureKind.Conflict => StatusCodes.Status409Conflict,
            FailureKind.Forbidden => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status400BadRequest,
        };
    }

    /// <summary>Copies a command's refusal onto the form: field errors beside their fields, anything else in the summary.</summary>
    public static void Show(Failure failure, FormErrors errors)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(errors);
        errors.AddAll(failure.Errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal));
        errors.Summary = failure.Errors.Count == 0 || failure.Kind == FailureKind.Conflict ? failure.Message : null;
    }
}

/// <summary>One field of a form that met a newer save: what is saved now, and what the person asked for.</summary>
internal sealed record ConflictField(string Field, string Label, string? Current, string? Yours)
{
    public bool Differs => !string.Equals(EditForms.Blank(Current), EditForms.Blank(Yours), StringComparison.Ordinal);
}

/// <summary>
/// A save refused because someone else saved first: the current values beside the person's own. Nothing was saved; the form
/// keeps the person's values and now carries the current version, so saving again applies them over the newer record.
/// </summary>
internal sealed record EditConflict(string Detail, int CurrentVersion, IReadOnlyList<ConflictField> Fields)
{
    /// <summary>Pairs two renderings of one form (field, label, value): the saved record's and the person's.</summary>
    public static EditConflict Between(
        Failure failure, int currentVersion, IEnumerable<(string Field, string Label, string? Value)> current,
        IEnumerable<(string Field, string Label, string? Value)> yours)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var saved = current.ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal);
        return new(failure.Message, currentVersion, [.. yours.Select(f => new ConflictField(f.Field, f.Label, saved.GetValueOrDefault(f.Field), f.Value))]);
    }

    public IReadOnlyList<ConflictField> Differing => [.. Fields.Where(f => f.Differs)];
}
