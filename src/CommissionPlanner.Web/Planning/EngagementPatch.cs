using System.Text.Json;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Planning;

namespace CommissionPlanner.Web.Planning;

/// <summary>JSON merge-patch (RFC 7396) over an engagement's input: present fields replace, null clears.</summary>
public static class EngagementPatch
{
    private static readonly HashSet<string> MeetingFields = ["title", "venueId", "start", "end", "timeZone", "areas", "capacity", "host", "description", "titleZh", "descriptionZh"];
    private static readonly HashSet<string> TravelFields = ["title", "fromVenueId", "toVenueId", "departure", "arrival", "mode", "reference", "vehicleId", "areas", "capacity", "host", "description", "titleZh", "descriptionZh"];

    /// <summary>The engagement as the input that would create it; the zone only when it differs from the venue's.</summary>
    public static EngagementInput CurrentInput(EngagementRecord record, VenueRef venue)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(venue);
        var common = new EngagementInput(Kind: EngagementKinds.ToWire(record.Kind), Title: record.Title, Areas: record.Areas, Capacity: record.Capacity,
            Host: record.Host, Description: record.Description, TitleZh: record.TitleZh, DescriptionZh: record.DescriptionZh);
        return record.Kind == EngagementKind.Travel
            ? common with
            {
                FromVenueId = record.FromVenueId.ToString(), ToVenueId = record.ToVenueId.ToString(),
                Departure = WireTime.FormatLocal(record.StartLocal), Arrival = WireTime.FormatLocal(record.EndLocal),
                Mode = TravelModes.ToWire(record.TravelMode), Reference = record.TravelReference,
                VehicleId = record.VehicleId?.ToString(),
            }
            : common with
            {
                VenueId = record.FromVenueId.ToString(),
                Start = WireTime.FormatLocal(record.StartLocal), End = WireTime.FormatLocal(record.EndLocal),
                TimeZone = record.StartZone == venue.TimeZone ? null : record.StartZone,
            };
    }

    public static EngagementInput Merge(EngagementInput current, JsonElement patch, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(errors);
        var allowed = IsTravel(current.Kind) ? TravelFields : MeetingFields;
        var result = current;
        foreach (var property in patch.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                errors.Add(property.Name, property.Name switch
                {
                    "status" => "Change the status with POST …/confirm or …/cancel.",
                    "kind" => "The kind of an engagement cannot be changed; cancel it and create a new one.",
                    _ => $"'{property.Name}' cannot be changed on this engagement. Allowed: {string.Join(", ", allowed)}.",
                });
                continue;
            }

            var value = property.Value;
            result = property.Name switch
            {
                "areas" => result with { Areas = PatchValues.Strings(property.Name, value, errors) },
                "capacity" => result with { Capacity = PatchValues.Integer(property.Name, value, errors) },
                _ => Assign(result, property.Name, PatchValues.Text(property.Name, value, errors)),
            };
        }

        return result;
    }

    private static bool IsTravel(string? kind) => EngagementKinds.TryParse(kind, out var parsed) && parsed == EngagementKind.Travel;

    private static EngagementInput Assign(EngagementInput input, string name, string? value) => name switch
    {
        "title" => input with { Title = value },
        "venueId" => input with { VenueId = value },
        "start" => input with { Start = value },
        "end" => input with { End = value },
        "timeZone" => input with { TimeZone = value },
        "host" => input with { Host = value },
        "description" => input with { Description = value },
        "titleZh" => input with { TitleZh = value },
        "descriptionZh" => input with { DescriptionZh = value },
        "fromVenueId" => input with { FromVenueId = value },
        "toVenueId" => input with { ToVenueId = value },
        "departure" => input with { Departure = value },
        "arrival" => input with { Arrival = value },
        "mode" => input with { Mode = value },
        "reference" => input with { Reference = value },
        "vehicleId" => input with { VehicleId = value },
        _ => input,
    };
}
