namespace CommissionPlanner.Domain.Planning;

/// <summary>
/// An engagement as it arrives. Meetings and visits use venueId/start/end (local to the venue, or to
/// timeZone when given); travel legs use fromVenueId/toVenueId/departure/arrival, each local to its venue.
/// Venue references are strings: a UUID through the API, an external id in an import document.
/// </summary>
public sealed record EngagementInput(
    string? Kind = null,
    string? Title = null,
    string? VenueId = null,
    string? Start = null,
    string? End = null,
    string? TimeZone = null,
    IReadOnlyList<string>? Areas = null,
    int? Capacity = null,
    string? Host = null,
    string? Description = null,
    string? FromVenueId = null,
    string? ToVenueId = null,
    string? Departure = null,
    string? Arrival = null,
    string? Mode = null,
    string? Reference = null,
    string? VehicleId = null,
    string? TitleZh = null,
    string? DescriptionZh = null);

/// <summary>What the engagement rules need to know of a venue.</summary>
public sealed record VenueRef(Guid Id, string TimeZone);

/// <summary>What the engagement rules need to know of a vehicle (the grain checks its programme and its time).</summary>
public sealed record VehicleRef(Guid Id);

/// <summary>A checked engagement: local times with their zones and the instants derived from them.</summary>
public sealed record EngagementPlan(
    EngagementKind Kind,
    string Title,
    Guid FromVenueId,
    Guid ToVenueId,
    LocalDateTime StartLocal,
    string StartZone,
    LocalDateTime EndLocal,
    string EndZone,
    Instant StartUtc,
    Instant EndUtc,
    IReadOnlyList<string> Areas,
    int? Capacity,
    string? Host,
    string? Description,
    TravelMode? Mode,
    string? Reference,
    Guid? VehicleId = null)
{
    /// <summary>The title in Chinese, beside the English <see cref="Title"/> (feeds and pages in Chinese show it); optional.</summary>
    public string? TitleZh { get; init; }

    /// <summary>The description in Chinese, beside <see cref="Description"/>; optional.</summary>
    public string? DescriptionZh { get; init; }
}

public static class EngagementSpecs
{
    /// <summary>
    /// Checks an engagement; <paramref name="findVenue"/> looks up a venue reference, <paramref name="findVehicle"/> a
    /// vehicle's (null when unknown, and every vehicle is unknown without it). A vehicle makes a travel leg by car a
    /// transfer.
    /// </summary>
    public static EngagementPlan? Validate(
        EngagementInput input, Func<string, VenueRef?> findVenue, IDateTimeZoneProvider zones, FieldErrors errors,
        Func<string, VehicleRef?>? findVehicle = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(findVenue);
        ArgumentNullException.ThrowIfNull(errors);

        var kind = errors.Choice<EngagementKind>("kind", input.Kind, EngagementKinds.TryParse, EngagementKinds.WireNames);
        var title = ReferenceSpecs.Text("title", errors.Required("title", input.Title, PlanningLimits.Name), errors);
        var areas = ReferenceSpecs.Areas("areas", input.Areas, errors);
        var capacity = ReferenceSpecs.Capacity("capacity", input.Capacity, errors);
        var host = ReferenceSpecs.Text("host", errors.Optional("host", input.Host, PlanningLimits.Name), errors);
        var description = ReferenceSpecs.Text("description", errors.Optional("description", input.Description, PlanningLimits.Description), errors, multiline: true);
        var titleZh = ReferenceSpecs.Text("titleZh", errors.Optional("titleZh", input.TitleZh, PlanningLimits.Name), errors);
        var descriptionZh = ReferenceSpecs.Text("descriptionZh", errors.Optional("descriptionZh", input.DescriptionZh, PlanningLimits.Description), errors, multiline: true);
        if (kind is null)
        {
            return null;
        }

        if (kind != EngagementKind.Travel)
        {
            if (!string.IsNullOrWhiteSpace(input.VehicleId))
            {
                errors.Add("vehicleId", "'vehicleId' is for transfers: a travel leg by car.");
            }

            return AtVenue(kind.Value, input, title, areas, capacity, host, description, findVenue, zones, errors) is { } plan && !errors.Any
                ? plan with { TitleZh = titleZh, DescriptionZh = descriptionZh }
                : null;
        }

        var leg = TravelLeg(input, title, areas, capacity, host, description, findVenue, zones, errors);
        var vehicle = Vehicle(input, findVehicle, errors);
        if (vehicle is not null && leg is not null && leg.Mode != TravelMode.Car)
        {
            errors.Add("vehicleId", "A vehicle carries transfers by road: a travel leg whose mode is car.");
        }

        return errors.Any || leg is null ? null : leg with { VehicleId = vehicle?.Id, TitleZh = titleZh, DescriptionZh = descriptionZh };
    }

    private static EngagementPlan? AtVenue(
        EngagementKind kind, EngagementInput input, string? title, IReadOnlyList<string> areas, int? capacity, string? host,
        string? description, Func<string, VenueRef?> findVenue, IDateTimeZoneProvider zones, FieldErrors errors)
    {
        var venue = Venue("venueId", input.VenueId, findVenue, errors);
        string? zone = null;
        if (input.TimeZone is not null)
        {
            zone = ReferenceSpecs.Zone("timeZone", input.TimeZone, zones, errors);
        }
        else if (venue is not null)
        {
            zone = venue.TimeZone;
        }

        var start = Local("start", input.Start, errors);
        var end = Local("end", input.End, errors);
        if (venue is null || zone is null || start is null || end is null || title is null)
        {
            return null;
        }

        var startUtc = Resolve("start", start.Value, zone, zones, errors);
        var endUtc = Resolve("end", end.Value, zone, zones, errors);
        if (startUtc is null || endUtc is null)
        {
            return null;
        }

        if (EngagementTimes.Validate(startUtc.Value, endUtc.Value) is { } problem)
        {
            errors.Add("end", problem);
        }

        return errors.Any
            ? null
            : new EngagementPlan(kind, title, venue.Id, venue.Id, start.Value, zone, end.Value, zone, startUtc.Value, endUtc.Value,
                areas, capacity, host, description, Mode: null, Reference: null);
    }

    private static EngagementPlan? TravelLeg(
        EngagementInput input, string? title, IReadOnlyList<string> areas, int? capacity, string? host, string? description,
        Func<string, VenueRef?> findVenue, IDateTimeZoneProvider zones, FieldErrors errors)
    {
        var from = Venue("fromVenueId", input.FromVenueId, findVenue, errors);
        var to = Venue("toVenueId", input.ToVenueId, findVenue, errors);
        if (from is not null && to is not null && from.Id == to.Id)
        {
            errors.Add("toVenueId", "A travel leg must arrive at a different venue from the one it departs.");
        }

        var departure = Local("departure", input.Departure, errors);
        var arrival = Local("arrival", input.Arrival, errors);
        var mode = errors.Choice<TravelMode>("mode", input.Mode, TravelModes.TryParse, TravelModes.WireNames);
        var reference = ReferenceSpecs.Text("reference", errors.Optional("reference", input.Reference, PlanningLimits.Reference), errors);
        if (from is null || to is null || departure is null || arrival is null || mode is null || title is null)
        {
            return null;
        }

        var departureUtc = Resolve("departure", departure.Value, from.TimeZone, zones, errors);
        var arrivalUtc = Resolve("arrival", arrival.Value, to.TimeZone, zones, errors);
        if (departureUtc is null || arrivalUtc is null)
        {
            return null;
        }

        if (TravelLegTimes.Validate(departureUtc.Value, arrivalUtc.Value) is { } problem)
        {
            errors.Add("arrival", problem);
        }

        return errors.Any
            ? null
            : new EngagementPlan(EngagementKind.Travel, title, from.Id, to.Id, departure.Value, from.TimeZone, arrival.Value, to.TimeZone,
                departureUtc.Value, arrivalUtc.Value, areas, capacity, host, description, mode, reference);
    }

    private static VehicleRef? Vehicle(EngagementInput input, Func<string, VehicleRef?>? findVehicle, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(input.VehicleId))
        {
            return null;
        }

        var vehicle = findVehicle?.Invoke(input.VehicleId.Trim());
        if (vehicle is null)
        {
            errors.Add("vehicleId", "'vehicleId' does not name a known vehicle.");
        }

        return vehicle;
    }

    private static VenueRef? Venue(string field, string? reference, Func<string, VenueRef?> findVenue, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            errors.Add(field, $"'{field}' is required.");
            return null;
        }

        var venue = findVenue(reference.Trim());
        if (venue is null)
        {
            errors.Add(field, $"'{field}' does not name a known venue.");
        }

        return venue;
    }

    private static LocalDateTime? Local(string field, string? text, FieldErrors errors)
    {
        if (WireTime.TryParseLocal(text, out var value))
        {
            return value;
        }

        errors.Add(field, $"'{field}' is required as {WireTime.LocalFormatHint}.");
        return null;
    }

    private static Instant? Resolve(string field, LocalDateTime local, string zone, IDateTimeZoneProvider zones, FieldErrors errors)
    {
        var resolution = PlannedTime.Resolve(local, zone, zones);
        if (resolution.Succeeded)
        {
            return resolution.Instant;
        }

        errors.Add(field, resolution.Error!);
        return null;
    }
}
