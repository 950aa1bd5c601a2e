using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Planning;

namespace CommissionPlanner.Web.Ui;

/// <summary>
/// The engagement form's fields. Their names are the API's JSON names, so the domain's field errors (keyed by JSON path)
/// land beside the field of the same name. Validation is <see cref="EngagementSpecs"/>, through the API's endpoint function.
/// </summary>
public sealed class EngagementForm
{
    public string? Kind { get; set; } = "meeting";

    public string? Title { get; set; }

    public string? VenueId { get; set; }

    public string? Start { get; set; }

    public string? End { get; set; }

    public string? TimeZone { get; set; }

    public string? Areas { get; set; }

    public string? Capacity { get; set; }

    public string? Host { get; set; }

    public string? Description { get; set; }

    public string? FromVenueId { get; set; }

    public string? ToVenueId { get; set; }

    public string? Departure { get; set; }

    public string? Arrival { get; set; }

    public string? Mode { get; set; }

    public string? Reference { get; set; }

    public static EngagementForm From(EngagementInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new EngagementForm
        {
            Kind = input.Kind, Title = input.Title, VenueId = input.VenueId, Start = input.Start, End = input.End, TimeZone = input.TimeZone,
            Areas = input.Areas is null ? null : string.Join(", ", input.Areas),
            Capacity = input.Capacity?.ToString(CultureInfo.InvariantCulture), Host = input.Host, Description = input.Description,
            FromVenueId = input.FromVenueId, ToVenueId = input.ToVenueId, Departure = input.Departure, Arrival = input.Arrival,
            Mode = input.Mode, Reference = input.Reference,
        };
    }

    /// <summary>The form as the API's input; a capacity that is not a whole number becomes a field error here.</summary>
    internal EngagementInput ToInput(FormErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new EngagementInput(
            Blank(Kind), Blank(Title), Blank(VenueId), Blank(Start), Blank(End), Blank(TimeZone), SplitAreas(Areas), ParseCapacity(errors),
            Blank(Host), Blank(Description), Blank(FromVenueId), Blank(ToVenueId), Blank(Departure), Blank(Arrival), Blank(Mode), Blank(Reference));
    }

    /// <summary>A merge-patch body with every field the engagement's kind allows (blank optional fields clear), for PATCH.</summary>
    internal JsonElement ToPatch(bool travel, FormErrors errors)
    {
        var input = ToInput(errors);
        var body = new JsonObject
        {
            ["title"] = input.Title,
            ["areas"] = new JsonArray([.. input.Areas!.Select(a => (JsonNode?)JsonValue.Create(a))]),
            ["capacity"] = input.Capacity,
            ["host"] = input.Host,
            ["description"] = input.Description,
        };
        if (travel)
        {
            body["fromVenueId"] = input.FromVenueId;
            body["toVenueId"] = input.ToVenueId;
            body["departure"] = input.Departure;
            body["arrival"] = input.Arrival;
            body["mode"] = input.Mode;
            body["reference"] = input.Reference;
        }
        else
        {
            body["venueId"] = input.VenueId;
            body["start"] = input.Start;
            body["end"] = input.End;
            body["timeZone"] = input.TimeZone;
        }

        return JsonSerializer.SerializeToElement(body);
    }

    internal static IReadOnlyList<string> SplitAreas(string? text) =>
        [.. (text ?? string.Empty).Split([',', '\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private int? ParseCapacity(FormErrors errors)
    {
        if (string.IsNullOrWhiteSpace(Capacity))
        {
            return null;
        }

        if (int.TryParse(Capacity.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.AddAll(new Dictionary<string, string[]> { ["capacity"] = ["'capacity' must be a whole number."] });
        return null;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>What the engagement form partial needs.</summary>
internal sealed record EngagementFormView(EngagementForm Form, FormErrors Errors, IReadOnlyList<VenueResource> Venues, bool KindEditable, string Submit);
