using System.Globalization;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Planning;
using Microsoft.Extensions.Localization;

namespace CommissionPlanner.Web.Ui;

/// <summary>
/// The engagement form's fields. Their names are the API's JSON names, so the domain's field errors (keyed by JSON path)
/// land beside the field of the same name. Validation is <see cref="EngagementSpecs"/>, through the same command as the API's.
/// </summary>
public sealed class EngagementForm
{
    private static readonly IStringLocalizer L = Localised.For(typeof(EngagementForm));

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

    /// <summary>The title in Chinese (optional), beside the English one.</summary>
    public string? TitleZh { get; set; }

    public string? DescriptionZh { get; set; }

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
            Mode = input.Mode, Reference = input.Reference, TitleZh = input.TitleZh, DescriptionZh = input.DescriptionZh,
        };
    }

    /// <summary>The form as the API's input; a capacity that is not a whole number becomes a field error here.</summary>
    internal EngagementInput ToInput(FormErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new EngagementInput(
            Blank(Kind), Blank(Title), Blank(VenueId), Blank(Start), Blank(End), Blank(TimeZone), SplitAreas(Areas), ParseCapacity(errors),
            Blank(Host), Blank(Description), Blank(FromVenueId), Blank(ToVenueId), Blank(Departure), Blank(Arrival), Blank(Mode), Blank(Reference),
            TitleZh: Blank(TitleZh), DescriptionZh: Blank(DescriptionZh));
    }

    /// <summary>True for a travel leg, whose form has from/to, departure and arrival instead of venue, start and end.</summary>
    public bool IsTravel => EngagementKinds.TryParse(Kind, out var kind) && kind == EngagementKind.Travel;

    /// <summary>
    /// A form's input laid over the engagement's current input: every field the engagement's kind has on the form (a blank
    /// optional field clears), the kind itself unchanged.
    /// </summary>
    internal static EngagementInput Lay(EngagementInput input, EngagementInput current)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(current);
        var common = current with
        {
            Title = input.Title, Areas = input.Areas, Capacity = input.Capacity, Host = input.Host, Description = input.Description,
            TitleZh = input.TitleZh, DescriptionZh = input.DescriptionZh,
        };
        return EngagementKinds.TryParse(current.Kind, out var kind) && kind == EngagementKind.Travel
            ? common with
            {
                FromVenueId = input.FromVenueId, ToVenueId = input.ToVenueId, Departure = input.Departure, Arrival = input.Arrival,
                Mode = input.Mode, Reference = input.Reference,
            }
            : common with { VenueId = input.VenueId, Start = input.Start, End = input.End, TimeZone = input.TimeZone };
    }

    /// <summary>The form's fields for this kind, labelled, with venue ids shown as names: for a conflict beside another form.</summary>
    internal IReadOnlyList<(string Field, string Label, string? Value)> Shown(IReadOnlyList<VenueResource> venues)
    {
        string? Venue(string? id) => venues.FirstOrDefault(v => v.Id.ToString() == id)?.Name ?? Blank(id);
        var fields = new List<(string, string, string?)> { ("title", L["Title"].Value, Blank(Title)) };
        if (IsTravel)
        {
            fields.AddRange([
                ("fromVenueId", L["From"].Value, Venue(FromVenueId)), ("toVenueId", L["To"].Value, Venue(ToVenueId)),
                ("departure", L["Departure"].Value, Blank(Departure)), ("arrival", L["Arrival"].Value, Blank(Arrival)),
                ("mode", L["Mode"].Value, Blank(Mode)), ("reference", L["Reference"].Value, Blank(Reference)),
            ]);
        }
        else
        {
            fields.AddRange([
                ("venueId", L["Venue"].Value, Venue(VenueId)), ("start", L["Start"].Value, Blank(Start)), ("end", L["End"].Value, Blank(End)),
                ("timeZone", L["Time zone"].Value, Blank(TimeZone)),
            ]);
        }

        fields.AddRange([
            ("capacity", L["Capacity"].Value, Blank(Capacity)), ("areas", L["Research areas"].Value, string.Join(", ", SplitAreas(Areas))),
            ("host", L["Host"].Value, Blank(Host)), ("description", L["Description"].Value, Blank(Description)),
            ("titleZh", L["Title in Chinese"].Value, Blank(TitleZh)), ("descriptionZh", L["Description in Chinese"].Value, Blank(DescriptionZh)),
        ]);
        return fields;
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

        errors.AddAll(new Dictionary<string, string[]> { ["capacity"] = [L["'capacity' must be a whole number."].Value] });
        return null;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>What the engagement form partial needs.</summary>
internal sealed record EngagementFormView(
    EngagementForm Form, FormErrors Errors, IReadOnlyList<VenueResource> Venues, bool KindEditable, string Submit,
    int? Version = null, EditConflict? Conflict = null);
