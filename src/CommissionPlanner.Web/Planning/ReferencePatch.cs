using System.Globalization;
using System.Text.Json;
using CommissionPlanner.Domain.Planning;

namespace CommissionPlanner.Web.Planning;

/// <summary>
/// JSON merge-patch (RFC 7396) over programmes, venues, delegations and people: the request's fields are laid over
/// the resource's current values as the input that would create it, and the result is checked by the same spec.
/// A field the resource does not have is an error naming it.
/// </summary>
public static class ReferencePatch
{
    private delegate T Setter<T>(T input, string field, JsonElement value, FieldErrors errors);

    private static readonly Dictionary<string, Setter<ProgrammeInput>> ProgrammeFields = new(StringComparer.Ordinal)
    {
        ["name"] = (i, f, v, e) => i with { Name = PatchValues.Text(f, v, e) },
        ["nameZh"] = (i, f, v, e) => i with { NameZh = PatchValues.Text(f, v, e) },
        ["startDate"] = (i, f, v, e) => i with { StartDate = PatchValues.Text(f, v, e) },
        ["endDate"] = (i, f, v, e) => i with { EndDate = PatchValues.Text(f, v, e) },
        ["timeZone"] = (i, f, v, e) => i with { TimeZone = PatchValues.Text(f, v, e) },
        ["areas"] = (i, f, v, e) => i with { Areas = PatchValues.Strings(f, v, e) },
        ["notificationsEnabled"] = (i, f, v, e) => i with { NotificationsEnabled = Boolean(f, v, e) },
    };

    private static readonly Dictionary<string, Setter<VenueInput>> VenueFields = new(StringComparer.Ordinal)
    {
        ["name"] = (i, f, v, e) => i with { Name = PatchValues.Text(f, v, e) },
        ["localName"] = (i, f, v, e) => i with { LocalName = PatchValues.Text(f, v, e) },
        ["address"] = (i, f, v, e) => i with { Address = PatchValues.Text(f, v, e) },
        ["city"] = (i, f, v, e) => i with { City = PatchValues.Text(f, v, e) },
        ["country"] = (i, f, v, e) => i with { Country = PatchValues.Text(f, v, e) },
        ["timeZone"] = (i, f, v, e) => i with { TimeZone = PatchValues.Text(f, v, e) },
        ["latitude"] = (i, f, v, e) => i with { Latitude = Number(f, v, e) },
        ["longitude"] = (i, f, v, e) => i with { Longitude = Number(f, v, e) },
        ["capacity"] = (i, f, v, e) => i with { Capacity = PatchValues.Integer(f, v, e) },
        ["sensitive"] = (i, f, v, e) => i with { Sensitive = Boolean(f, v, e) },
    };

    private static readonly Dictionary<string, Setter<DelegationInput>> DelegationFields = new(StringComparer.Ordinal)
    {
        ["name"] = (i, f, v, e) => i with { Name = PatchValues.Text(f, v, e) },
        ["country"] = (i, f, v, e) => i with { Country = PatchValues.Text(f, v, e) },
    };

    private static readonly Dictionary<string, Setter<MemberPatch>> MemberFields = new(StringComparer.Ordinal)
    {
        ["fullName"] = (i, f, v, e) => i with { Input = i.Input with { FullName = PatchValues.Text(f, v, e) } },
        ["localName"] = (i, f, v, e) => i with { Input = i.Input with { LocalName = PatchValues.Text(f, v, e) } },
        ["organisation"] = (i, f, v, e) => i with { Input = i.Input with { Organisation = PatchValues.Text(f, v, e) } },
        ["title"] = (i, f, v, e) => i with { Input = i.Input with { Title = PatchValues.Text(f, v, e) } },
        ["email"] = (i, f, v, e) => i with { Input = i.Input with { Email = PatchValues.Text(f, v, e) } },
        ["role"] = (i, f, v, e) => i with { Input = i.Input with { Role = PatchValues.Text(f, v, e) } },
        ["protocolOrder"] = (i, f, v, e) => i with { ProtocolOrder = PatchValues.Integer(f, v, e) ?? Required(f, e) },
        ["notify"] = (i, f, v, e) => i with { Notify = Boolean(f, v, e) ?? RequiredFlag(f, e) },
    };

    /// <summary>
    /// A member's merged input and, when the patch names them, the protocol position to move to and whether they want
    /// e-mails about changes.
    /// </summary>
    public sealed record MemberPatch(MemberInput Input, int? ProtocolOrder, bool? Notify = null);

    public static ProgrammeInput Current(ProgrammeResource programme)
    {
        ArgumentNullException.ThrowIfNull(programme);
        return new ProgrammeInput(programme.Name, programme.StartDate, programme.EndDate, programme.TimeZone, programme.Areas, programme.NotificationsEnabled, programme.NameZh);
    }

    public static VenueInput Current(VenueResource venue)
    {
        ArgumentNullException.ThrowIfNull(venue);
        return new VenueInput(venue.Name, venue.LocalName, venue.Address, venue.City, venue.Country, venue.TimeZone,
            venue.Latitude, venue.Longitude, venue.Capacity, venue.Sensitive);
    }

    public static DelegationInput Current(DelegationResource delegation)
    {
        ArgumentNullException.ThrowIfNull(delegation);
        return new DelegationInput(delegation.Name, delegation.Country);
    }

    public static MemberInput Current(PersonResource person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return new MemberInput(person.FullName, person.LocalName, person.Organisation, person.Title, person.Email, person.Role);
    }

    public static ProgrammeInput Merge(ProgrammeInput current, JsonElement patch, FieldErrors errors) => Apply(current, patch, ProgrammeFields, errors);

    public static VenueInput Merge(VenueInput current, JsonElement patch, FieldErrors errors) => Apply(current, patch, VenueFields, errors);

    public static DelegationInput Merge(DelegationInput current, JsonElement patch, FieldErrors errors) => Apply(current, patch, DelegationFields, errors);

    public static MemberPatch Merge(MemberInput current, JsonElement patch, FieldErrors errors) =>
        Apply(new MemberPatch(current, null), patch, MemberFields, errors);

    /// <summary>
    /// Reads <c>If-Match: "&lt;version&gt;"</c>. False (with the field error) when the header is there but is not a
    /// version; true with null when there is none.
    /// </summary>
    public static bool TryReadIfMatch(HttpContext http, string what, FieldErrors errors, out int? version)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(errors);
        version = null;
        if (http.Request.Headers.IfMatch.Count == 0)
        {
            return true;
        }

        var text = http.Request.Headers.IfMatch.ToString().Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        if (!int.TryParse(text.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            errors.Add("If-Match", $"If-Match must be the {what}'s version in quotes, e.g. \"3\".");
            return false;
        }

        version = parsed;
        return true;
    }

    private static T Apply<T>(T current, JsonElement patch, Dictionary<string, Setter<T>> fields, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var result = current;
        foreach (var property in patch.EnumerateObject())
        {
            if (!fields.TryGetValue(property.Name, out var setter))
            {
                errors.Add(property.Name, $"'{property.Name}' cannot be changed here. Allowed: {string.Join(", ", fields.Keys)}.");
                continue;
            }

            result = setter(result, property.Name, property.Value, errors);
        }

        return result;
    }

    private static int? Required(string field, FieldErrors errors)
    {
        errors.Add(field, $"'{field}' must be a whole number.");
        return null;
    }

    private static double? Number(string field, JsonElement value, FieldErrors errors)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number))
        {
            return number;
        }

        if (value.ValueKind != JsonValueKind.Null)
        {
            errors.Add(field, $"'{field}' must be a number.");
        }

        return null;
    }

    private static bool? RequiredFlag(string field, FieldErrors errors)
    {
        errors.Add(field, $"'{field}' must be true or false.");
        return null;
    }

    private static bool? Boolean(string field, JsonElement value, FieldErrors errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                errors.Add(field, $"'{field}' must be true or false.");
                return null;
        }
    }
}
