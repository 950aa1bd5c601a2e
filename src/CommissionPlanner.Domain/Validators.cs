using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

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
    /// True for an address that a calendar can carry as a <c>mailto:</c> URI (<see cref="TryMailtoUri"/>): an RFC 5322
    /// addr-spec without comments or folding white space, at most 254 characters. The local part is a dot-atom
    /// (letters, digits, <c>!#$%&amp;'*+-/=?^_`{|}~</c>, non-ASCII letters as RFC 6531 allows, dots between) or a
    /// quoted string (<c>"a b"@example.org</c>, quoted pairs allowed) of at most 64 octets; the domain is a host name
    /// of at least two labels, which may be internationalised (<c>bücher.example</c>: each label must have a valid
    /// A-label form). Angle brackets, display names, IP literals, control characters and white space outside quotes
    /// are refused.
    /// </summary>
    public static bool IsEmail(string? email) => TrySplitEmail(email, out _, out _);

    /// <summary>
    /// The address as an RFC 6068 <c>mailto:</c> URI: the local part percent-encoded as UTF-8 (everything but
    /// letters, digits and <c>-._~!$'*+</c>), the domain in its ASCII (punycode) form. False when
    /// <see cref="IsEmail"/> is false.
    /// </summary>
    public static bool TryMailtoUri(string? email, [NotNullWhen(true)] out string? uri)
    {
        uri = null;
        if (!TrySplitEmail(email, out var local, out var asciiDomain))
        {
            return false;
        }

        var builder = new StringBuilder("mailto:", 7 + (local.Length * 3) + 1 + asciiDomain.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < local.Length; i++)
        {
            var c = local[i];
            if (char.IsAsciiLetterOrDigit(c) || "-._~!$'*+".Contains(c, StringComparison.Ordinal))
            {
                builder.Append(c);
                continue;
            }

            var length = char.IsHighSurrogate(c) && i + 1 < local.Length ? 2 : 1;
            var written = Encoding.UTF8.GetBytes(local.AsSpan(i, length), utf8);
            foreach (var b in utf8[..written])
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }

            i += length - 1;
        }

        uri = builder.Append('@').Append(asciiDomain).ToString();
        return true;
    }

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    private static bool TrySplitEmail(string? email, out string local, out string asciiDomain)
    {
        local = asciiDomain = string.Empty;
        if (string.IsNullOrEmpty(email) || email.Length > MaximumEmailLength)
        {
            return false;
        }

        var at = email.LastIndexOf('@');
        if (at <= 0 || at == email.Length - 1)
        {
            return false;
        }

        var localPart = email[..at];
        if (Encoding.UTF8.GetByteCount(localPart) > 64 || !(IsDotAtom(localPart) || IsQuotedString(localPart)))
        {
            return false;
        }

        var domain = email[(at + 1)..];
        if (domain.EndsWith('.') || !domain.Contains('.', StringComparison.Ordinal))
        {
            return false;
        }

        if (AsciiDomain(domain) is not { } ascii)
        {
            return false;
        }

        var labels = ascii.Split('.');
        if (ascii.Length > 253 || labels.Any(l => l.Length is 0 or > 63 || l[0] == '-' || l[^1] == '-')
            || labels[^1].All(char.IsAsciiDigit))
        {
            return false;
        }

        local = localPart;
        asciiDomain = ascii;
        return true;
    }

    /// <summary>
    /// The domain's A-label form in lower case, as <see cref="IdnAsciiDomain"/> gives it, or null when IDNA refuses it. A
    /// host name already in plain LDH form (ASCII letters, digits and inner hyphens, labels of 1 to 63 characters) maps to
    /// itself in lower case, so it skips ICU, which is asked for every attendee of a feed and costs a few microseconds a
    /// call. A label with hyphens in its third and fourth places ("xn--", an A-label whose punycode must be decoded to be
    /// checked) or anything else still goes to ICU. MailtoAndTextTests compare the two on many inputs.
    /// </summary>
    internal static string? AsciiDomain(string domain) => IsPlainHostName(domain) ? LowerCase(domain) : IdnAsciiDomain(domain);

    /// <summary>The domain's A-label form in lower case by IDNA (UTS #46 through ICU, STD3 rules), or null when it refuses it.</summary>
    internal static string? IdnAsciiDomain(string domain)
    {
        try
        {
            return LowerCase(Idn.GetAscii(domain));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

#pragma warning disable CA1308 // Host names are case-insensitive; the lower-case A-label form is the conventional one.
    private static string LowerCase(string host) => host.ToLowerInvariant();
#pragma warning restore CA1308

    private static bool IsPlainHostName(string domain)
    {
        var labelStart = 0;
        for (var i = 0; i <= domain.Length; i++)
        {
            if (i < domain.Length && domain[i] != '.')
            {
                if (!char.IsAsciiLetterOrDigit(domain[i]) && domain[i] != '-')
                {
                    return false;
                }

                continue;
            }

            var length = i - labelStart;
            if (length is 0 or > 63 || domain[labelStart] == '-' || domain[i - 1] == '-'
                || (length >= 4 && domain[labelStart + 2] == '-' && domain[labelStart + 3] == '-'))
            {
                return false;
            }

            labelStart = i + 1;
        }

        return domain.Length <= 253;
    }

    /// <summary>RFC 5322 dot-atom, with RFC 6531's non-ASCII characters (letters, marks, digits, symbols: no controls, spaces or format characters).</summary>
    private static bool IsDotAtom(string local)
    {
        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < local.Length; i++)
        {
            var c = local[i];
            if (c == '.' || char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~".Contains(c, StringComparison.Ordinal))
            {
                continue;
            }

            if (c < 0x80 || !IsPrintableNonAscii(local, ref i))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 5322 quoted-string without folding white space: printable ASCII, spaces, non-ASCII, and backslash pairs.</summary>
    private static bool IsQuotedString(string local)
    {
        if (local.Length < 2 || local[0] != '"' || local[^1] != '"')
        {
            return false;
        }

        for (var i = 1; i < local.Length - 1; i++)
        {
            var c = local[i];
            if (c == '\\')
            {
                i++;
                if (i >= local.Length - 1 || local[i] is < ' ' or > '~')
                {
                    return false;
                }
            }
            else if (c == '"' || (c < 0x80 && c is < ' ' or > '~') || (c >= 0x80 && !IsPrintableNonAscii(local, ref i)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A non-ASCII character (a whole surrogate pair) that is not a control, separator, format character or lone surrogate.</summary>
    private static bool IsPrintableNonAscii(string s, ref int i)
    {
        if (char.IsHighSurrogate(s[i]))
        {
            if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]))
            {
                return false;
            }

            i++;
            return true;
        }

        return CharUnicodeInfo.GetUnicodeCategory(s[i]) is not (UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.Surrogate or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned);
    }

    /// <summary>
    /// Why a name or text cannot be stored, or null: C0 and C1 control characters (a tab or a line break only in
    /// multi-line text), lone surrogates and the noncharacters U+FFFE and U+FFFF, none of which a calendar, CSV file
    /// or page can carry faithfully. Bidirectional marks and emoji are fine.
    /// </summary>
    public static string? TextProblem(string value, bool multiline)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF')
            {
                return "must not hold an incomplete or non-character code point";
            }
            else if (char.IsControl(c) && !(multiline && c is '\t' or '\n' or '\r'))
            {
                return multiline
                    ? $"must not hold control characters other than tabs and line breaks (U+{(int)c:X4} at position {i + 1})"
                    : $"must be one line without control characters (U+{(int)c:X4} at position {i + 1})";
            }
        }

        return null;
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
