using System.Collections.Frozen;

namespace CommissionPlanner.Domain;

/// <summary>Small checks on identifiers and addresses that arrive in requests.</summary>
public static class Validators
{
    /// <summary>Every officially assigned ISO 3166-1 alpha-2 code (249), upper-case.</summary>
    public static IReadOnlySet<string> CountryCodes { get; } = new[]
    {
        "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
        "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ",
        "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ",
        "DE", "DJ", "DK", "DM", "DO", "DZ",
        "EC", "EE", "EG", "EH", "ER", "ES", "ET",
        "FI", "FJ", "FK", "FM", "FO", "FR",
        "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY",
        "HK", "HM", "HN", "HR", "HT", "HU",
        "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT",
        "JE", "JM", "JO", "JP",
        "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ",
        "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY",
        "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ",
        "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ",
        "OM",
        "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY",
        "QA",
        "RE", "RO", "RS", "RU", "RW",
        "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ",
        "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ",
        "UA", "UG", "UM", "US", "UY", "UZ",
        "VA", "VC", "VE", "VG", "VI", "VN", "VU",
        "WF", "WS",
        "YE", "YT",
        "ZA", "ZM", "ZW",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The longest address SMTP can carry (RFC 5321 path limit less the angle brackets).</summary>
    public const int MaximumEmailLength = 254;

    /// <summary>
    /// True for an officially assigned ISO 3166-1 alpha-2 code in upper case ("GB", "CN"). Reserved
    /// codes such as "UK" and user-assigned ones such as "XK" are not officially assigned.
    /// </summary>
    public static bool IsCountryCode(string? code) => code is not null && CountryCodes.Contains(code);

    /// <summary>
    /// True for a research-area slug: 2–64 characters of lower-case ASCII letters and digits, in words
    /// joined by single hyphens ("climate-environment").
    /// </summary>
    public static bool IsAreaSlug(string? slug)
    {
        if (slug is null || slug.Length is < 2 or > 64 || slug[0] == '-' || slug[^1] == '-')
        {
            return false;
        }

        for (var i = 0; i < slug.Length; i++)
        {
            var c = slug[i];
            var allowed = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || (c == '-' && slug[i - 1] != '-');
            if (!allowed)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A pragmatic e-mail check, not RFC 5322: exactly one '@', a non-empty local part, a domain with a
    /// dot that neither starts nor ends it, no white space or control characters, at most 254 characters.
    /// </summary>
    public static bool IsEmail(string? email)
    {
        if (string.IsNullOrEmpty(email) || email.Length > MaximumEmailLength
            || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@'))
        {
            return false;
        }

        var domain = email[(at + 1)..];
        var dot = domain.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && !domain.EndsWith('.');
    }

    /// <summary>The form in which addresses are stored and compared: trimmed and lower-case (invariant culture).</summary>
    public static string NormaliseEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
#pragma warning disable CA1308 // E-mail addresses are conventionally shown and compared in lower case.
        return email.Trim().ToLowerInvariant();
#pragma warning restore CA1308
    }
}
