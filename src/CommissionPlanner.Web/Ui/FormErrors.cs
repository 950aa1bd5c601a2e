using System.Net;
using Microsoft.AspNetCore.Html;

namespace CommissionPlanner.Web.Ui;

/// <summary>
/// Field errors from the domain's specs (keyed by JSON path, e.g. <c>start</c>, <c>venueId</c>) shown beside the form field of
/// the same name; the form's field names are the API's, so the mapping is the identity (with a summary for anything else).
/// </summary>
internal sealed class FormErrors
{
    private readonly Dictionary<string, string[]> errors = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A message about the form as a whole, in the reader's language (<see cref="Messages"/>).</summary>
    public string? Summary { get => summary; set => summary = Messages.Translate(value); }

    private string? summary;

    public bool Any => errors.Count > 0 || Summary is not null;

    public void AddAll(IDictionary<string, string[]> fieldErrors)
    {
        ArgumentNullException.ThrowIfNull(fieldErrors);
        foreach (var (field, messages) in fieldErrors)
        {
            // The domain's messages are English; the reader sees them in their language (Messages).
            errors[field] = messages.Select(m => Messages.Translate(m)!).ToArray();
        }
    }

    public bool Has(string field) => errors.ContainsKey(field);

    /// <summary>Errors whose field the form has no input for (shown in the summary).</summary>
    public IEnumerable<KeyValuePair<string, string[]>> Except(IReadOnlyCollection<string> fields) =>
        errors.Where(e => !fields.Contains(e.Key, StringComparer.OrdinalIgnoreCase));

    public IEnumerable<KeyValuePair<string, string[]>> All => errors;

    /// <summary>The message element beside a field; its id is what the input's aria-describedby names.</summary>
    public IHtmlContent For(string field)
    {
        if (!errors.TryGetValue(field, out var messages))
        {
            return HtmlString.Empty;
        }

        var text = string.Join(" ", messages.Select(WebUtility.HtmlEncode));
        return new HtmlString($"<p class=\"field-error\" id=\"{WebUtility.HtmlEncode(field)}-error\"><span aria-hidden=\"true\">⚠ </span>{text}</p>");
    }

    /// <summary>Attributes for the input: aria-invalid and aria-describedby when it has an error.</summary>
    public IHtmlContent Attributes(string field) => errors.ContainsKey(field)
        ? new HtmlString($"aria-invalid=\"true\" aria-describedby=\"{WebUtility.HtmlEncode(field)}-error\"")
        : HtmlString.Empty;
}
