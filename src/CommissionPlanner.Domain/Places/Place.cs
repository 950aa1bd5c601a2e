using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace CommissionPlanner.Domain;

/// <summary>
/// Where an engagement happens, as far as travel is concerned: the venue, its city and country
/// (ISO 3166-1 alpha-2) and its coordinates.
/// </summary>
public sealed record Place(Guid VenueId, string City, string Country, GeoPoint Point)
{
    // The city's comparison key, folded once when the city is set (also by a with-expression) rather than on every
    // comparison: the travel rule compares the places of every pair of consecutive bookings, 180,000 pairs for a
    // programme's conflict list in the scale test, and folding (two Unicode normalisations) was most of that time.
    // Derived from City alone, so it never makes two places with the same city unequal.
    private readonly string cityKey = CityKey(City);

    public string City
    {
        get;
        init
        {
            field = value;
            cityKey = CityKey(value);
        }
    } = City;

    /// <summary>
    /// True when both places are in the same city of the same country. Cities are compared after
    /// trimming, ignoring case and accents (so "Zürich" matches "zurich "), because venue data is
    /// typed by different people on both delegations.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called per pair of bookings, as ItineraryRules' helpers are
    public bool IsSameCityAs(Place other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(Country?.Trim(), other.Country?.Trim(), StringComparison.OrdinalIgnoreCase)
            && string.Equals(cityKey, other.cityKey, StringComparison.Ordinal);
    }

    /// <summary>The city folded to a comparison key: trimmed, inner white space collapsed, accents removed, lower-case.</summary>
    private static string CityKey(string? city)
    {
        if (string.IsNullOrWhiteSpace(city))
        {
            return string.Empty;
        }

        // Decomposing first splits "ü" into "u" plus a combining mark, which is then dropped.
        var decomposed = city.Trim().Normalize(NormalizationForm.FormD);
        var key = new StringBuilder(decomposed.Length);
        var previousWasSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (!previousWasSpace)
                {
                    key.Append(' ');
                }

                previousWasSpace = true;
                continue;
            }

            previousWasSpace = false;
            key.Append(char.ToLowerInvariant(c));
        }

        return key.ToString().Normalize(NormalizationForm.FormC);
    }
}
