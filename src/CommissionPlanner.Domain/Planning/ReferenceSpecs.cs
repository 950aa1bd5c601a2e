namespace CommissionPlanner.Domain.Planning;

// Inputs as they arrive (JSON bodies, import documents): every field nullable and loosely typed, so that
// a wrong value becomes a field error naming it rather than a failed deserialisation. Each Validate
// returns the checked value, or null with the reasons in FieldErrors. The API and the import share them.

/// <remarks>
/// <c>NotificationsEnabled</c>: null leaves it as it is (off for a new programme). <c>NameZh</c>: the programme's name in
/// Chinese, optional (docs/languages.md).
/// </remarks>
public sealed record ProgrammeInput(
    string? Name, string? StartDate, string? EndDate, string? TimeZone, IReadOnlyList<string>? Areas, bool? NotificationsEnabled = null,
    string? NameZh = null);

/// <remarks><c>NotificationsEnabled</c>: null leaves it as it is (an import never switches it).</remarks>
public sealed record ProgrammeSpec(
    string Name, LocalDate StartDate, LocalDate EndDate, string TimeZone, IReadOnlyList<string> Areas, bool? NotificationsEnabled = null,
    string? NameZh = null);

public sealed record VenueInput(
    string? Name, string? LocalName, string? Address, string? City, string? Country, string? TimeZone,
    double? Latitude, double? Longitude, int? Capacity, bool? Sensitive);

public sealed record VenueSpec(
    string Name, string? LocalName, string Address, string City, string Country, string TimeZone,
    GeoPoint Point, int? Capacity, bool Sensitive);

public sealed record DelegationInput(string? Name, string? Country);

public sealed record DelegationSpec(string Name, string Country);

public sealed record MemberInput(string? FullName, string? LocalName, string? Organisation, string? Title, string? Email, string? Role);

public sealed record MemberSpec(string FullName, string? LocalName, string Organisation, string Title, string Email, DelegateRole Role);

public static class PlanningLimits
{
    public const int Name = 300;
    public const int Address = 500;
    public const int City = 100;
    public const int Description = 4000;
    public const int Reference = 200;
    public const int Reason = 1000;
    public const int MaxAreas = 20;
    /// <summary>A programme spans at most this many days: longer is almost certainly a typo in a year.</summary>
    public const int MaxProgrammeDays = 366;
}

public static class ReferenceSpecs
{
    public static ProgrammeSpec? Validate(ProgrammeInput input, IDateTimeZoneProvider zones, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        var name = Text("name", errors.Required("name", input.Name, PlanningLimits.Name), errors);
        var nameZh = Text("nameZh", errors.Optional("nameZh", input.NameZh, PlanningLimits.Name), errors);
        var start = Date("startDate", input.StartDate, errors);
        var end = Date("endDate", input.EndDate, errors);
        if (start is { } s && end is { } e)
        {
            if (e < s)
            {
                errors.Add("endDate", "'endDate' must not be before 'startDate'.");
            }
            else if (Period.Between(s, e, PeriodUnits.Days).Days > PlanningLimits.MaxProgrammeDays)
            {
                errors.Add("endDate", $"A programme may span at most {PlanningLimits.MaxProgrammeDays} days.");
            }
        }

        var zone = Zone("timeZone", input.TimeZone, zones, errors);
        var areas = Areas("areas", input.Areas, errors);
        return errors.Any ? null : new ProgrammeSpec(name!, start!.Value, end!.Value, zone!, areas, input.NotificationsEnabled, nameZh);
    }

    public static VenueSpec? Validate(VenueInput input, IDateTimeZoneProvider zones, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        var name = Text("name", errors.Required("name", input.Name, PlanningLimits.Name), errors);
        var localName = Text("localName", errors.Optional("localName", input.LocalName, PlanningLimits.Name), errors);
        var address = Text("address", errors.Required("address", input.Address, PlanningLimits.Address), errors);
        var city = Text("city", errors.Required("city", input.City, PlanningLimits.City), errors);
        var country = Country("country", input.Country, errors);
        var zone = Zone("timeZone", input.TimeZone, zones, errors);
        if (input.Latitude is not { } latitude || !double.IsFinite(latitude) || latitude is < -90 or > 90)
        {
            errors.Add("latitude", "'latitude' is required, in degrees from -90 to 90.");
        }

        if (input.Longitude is not { } longitude || !double.IsFinite(longitude) || longitude is < -180 or > 180)
        {
            errors.Add("longitude", "'longitude' is required, in degrees from -180 to 180.");
        }

        var capacity = Capacity("capacity", input.Capacity, errors);
        return errors.Any
            ? null
            : new VenueSpec(name!, localName, address!, city!, country!, zone!, new GeoPoint(input.Latitude!.Value, input.Longitude!.Value), capacity, input.Sensitive ?? false);
    }

    public static DelegationSpec? Validate(DelegationInput input, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        var name = Text("name", errors.Required("name", input.Name, PlanningLimits.Name), errors);
        var country = Country("country", input.Country, errors);
        return errors.Any ? null : new DelegationSpec(name!, country!);
    }

    public static MemberSpec? Validate(MemberInput input, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        var fullName = Text("fullName", errors.Required("fullName", input.FullName, PlanningLimits.Name), errors);
        var localName = Text("localName", errors.Optional("localName", input.LocalName, PlanningLimits.Name), errors);
        var organisation = Text("organisation", errors.Required("organisation", input.Organisation, PlanningLimits.Name), errors);
        var title = Text("title", errors.Required("title", input.Title, PlanningLimits.Name), errors);
        string? email = null;
        // What is stored must be usable as a mailto: URI in every calendar feed (Validators.TryMailtoUri).
        if (string.IsNullOrWhiteSpace(input.Email) || !Validators.IsEmail(input.Email.Trim()))
        {
            errors.Add("email", "'email' must be a plain e-mail address such as a.person@example.org (no display name or angle brackets; "
                + "quote a local part with spaces, e.g. \"a person\"@example.org).");
        }
        else
        {
            email = Validators.NormaliseEmail(input.Email);
        }

        var role = errors.Choice<DelegateRole>("role", input.Role, DelegateRoles.TryParse, DelegateRoles.WireNames);
        return errors.Any ? null : new MemberSpec(fullName!, localName, organisation!, title!, email!, role!.Value);
    }

    /// <summary>
    /// Adds an error when a checked text holds characters no feed, list or page can carry (<see cref="Validators.TextProblem"/>);
    /// returns the text. Single-line unless <paramref name="multiline"/>.
    /// </summary>
    public static string? Text(string field, string? value, FieldErrors errors, bool multiline = false)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value is not null && Validators.TextProblem(value, multiline) is { } problem)
        {
            errors.Add(field, $"'{field}' {problem}.");
        }

        return value;
    }

    public static string? Zone(string field, string? zoneId, IDateTimeZoneProvider zones, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(zoneId))
        {
            errors.Add(field, $"'{field}' is required: an IANA time-zone id such as Asia/Shanghai or Europe/London.");
            return null;
        }

        var trimmed = zoneId.Trim();
        if (!PlannedTime.IsKnownZone(trimmed, zones))
        {
            errors.Add(field, $"'{trimmed}' is not a known IANA time-zone id (e.g. Asia/Shanghai, Europe/London).");
            return null;
        }

        return trimmed;
    }

    public static string? Country(string field, string? code, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var upper = code?.Trim().ToUpperInvariant();
        if (!Validators.IsCountryCode(upper))
        {
            errors.Add(field, $"'{field}' must be an ISO 3166-1 alpha-2 country code, e.g. GB or CN.");
            return null;
        }

        return upper;
    }

    public static int? Capacity(string field, int? capacity, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (capacity is < 0)
        {
            errors.Add(field, $"'{field}' must not be negative.");
        }

        return capacity;
    }

    public static IReadOnlyList<string> Areas(string field, IReadOnlyList<string>? areas, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (areas is null)
        {
            return [];
        }

        if (areas.Count > PlanningLimits.MaxAreas)
        {
            errors.Add(field, $"At most {PlanningLimits.MaxAreas} areas.");
        }

        var result = new List<string>();
        for (var i = 0; i < areas.Count; i++)
        {
            var area = areas[i]?.Trim();
            if (!Validators.IsAreaSlug(area))
            {
                errors.Add($"{field}[{i}]", "Area ids are short lower-case slugs such as climate-environment.");
            }
            else if (!result.Contains(area!))
            {
                result.Add(area!);
            }
        }

        return result;
    }

    public static LocalDate? Date(string field, string? text, FieldErrors errors)
    {
        if (WireTime.TryParseDate(text, out var date))
        {
            return date;
        }

        errors.Add(field, $"'{field}' is required as {WireTime.DateFormatHint}.");
        return null;
    }
}

/// <summary>A person's needs as organisers record them. Every field optional; absent means "not recorded".</summary>
public sealed record LogisticsInput(string? Dietary, string? Accessibility, string? InterpreterLanguage, string? Nationality, string? SecurityClearance);

public sealed record LogisticsSpec(string? Dietary, string? Accessibility, string? InterpreterLanguage, string? Nationality, string? SecurityClearance);

public static class LogisticsSpecs
{
    public static LogisticsSpec? Validate(LogisticsInput input, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        var dietary = errors.Optional("dietary", input.Dietary, 500);
        var accessibility = errors.Optional("accessibility", input.Accessibility, 500);
        var interpreter = errors.Optional("interpreterLanguage", input.InterpreterLanguage, 100);
        var nationality = string.IsNullOrWhiteSpace(input.Nationality) ? null : ReferenceSpecs.Country("nationality", input.Nationality, errors);
        var clearance = errors.Optional("securityClearance", input.SecurityClearance, 100);
        return errors.Any ? null : new LogisticsSpec(dietary, accessibility, interpreter, nationality, clearance);
    }
}
