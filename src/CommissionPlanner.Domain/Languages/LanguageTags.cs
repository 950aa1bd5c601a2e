using System.Globalization;
using CommissionPlanner.Domain.Planning;

namespace CommissionPlanner.Domain.Languages;

/// <summary>
/// The languages people work in, as ISO 639 codes ("en", "zh"). A BCP 47 tag with subtags ("zh-Hans-CN", "en-GB") is
/// taken as its language: whether two people can talk does not depend on the script or the region, and a reader of
/// Simplified Chinese is not helped by an interpreter being booked because another attendee wrote "zh-TW".
/// </summary>
public static class LanguageTags
{
    /// <summary>How many working languages, and how many interpreted pairs, a person may record.</summary>
    public const int MaxPerPerson = 10;

    /// <summary>The language of a BCP 47 tag, lower-case; false when it is not one (2 or 3 letters, then optional subtags).</summary>
    public static bool TryNormalise(string? text, out string code)
    {
        code = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Trim().Replace('_', '-').Split('-');
        if (parts[0].Length is < 2 or > 3 || !parts[0].All(char.IsAsciiLetter)
            || parts.Skip(1).Any(p => p.Length is < 1 or > 8 || !p.All(char.IsAsciiLetterOrDigit)))
        {
            return false;
        }

        code = parts[0].ToLowerInvariant();
        return true;
    }

    private static readonly Dictionary<string, string> ChineseNames = new(StringComparer.Ordinal)
    {
        ["zh"] = "中文", ["en"] = "英语", ["fr"] = "法语", ["de"] = "德语", ["es"] = "西班牙语", ["ru"] = "俄语", ["ar"] = "阿拉伯语",
        ["ja"] = "日语", ["ko"] = "韩语", ["pt"] = "葡萄牙语", ["it"] = "意大利语", ["cy"] = "威尔士语", ["yue"] = "粤语",
    };

    /// <summary>The language's name for people ("Chinese", "中文"), else its code when the culture data do not know it.</summary>
    public static string DisplayName(string code, CultureInfo? reader = null)
    {
        try
        {
            var culture = CultureInfo.GetCultureInfo(code);
            // A code the culture data do not know comes back as a made-up culture whose name is the code itself.
            if ((reader ?? CultureInfo.CurrentUICulture).TwoLetterISOLanguageName == "zh")
            {
                // The culture data name a language in English or in itself ("English"), never in a third language, so
                // Chinese readers get the common working languages from this table and any other in its own name.
                return ChineseNames.TryGetValue(culture.TwoLetterISOLanguageName, out var chinese) ? chinese : culture.NativeName;
            }

            var name = culture.EnglishName;
            return string.Equals(name, code, StringComparison.OrdinalIgnoreCase) || name.Contains("Unknown", StringComparison.Ordinal) ? code : name;
        }
        catch (CultureNotFoundException)
        {
            return code;
        }
    }

    /// <summary>
    /// A person's working languages and interpreted pairs, validated: codes normalised, repeats dropped, in the order
    /// given. An interpreter works in both languages of every pair they cover, so those are added to the languages.
    /// </summary>
    public static LanguageSpec? Validate(IReadOnlyList<string>? languages, IReadOnlyList<string>? interprets, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var codes = new List<string>();
        foreach (var (text, index) in (languages ?? []).Select((t, i) => (t, i)))
        {
            if (TryNormalise(text, out var code))
            {
                AddOnce(codes, code);
            }
            else
            {
                errors.Add($"languages[{index}]", $"'{text}' is not a language code: use ISO 639 codes such as \"en\" or \"zh\".");
            }
        }

        var pairs = new List<LanguagePair>();
        foreach (var (text, index) in (interprets ?? []).Select((t, i) => (t, i)))
        {
            if (LanguagePair.TryParse(text, out var pair))
            {
                if (!pairs.Contains(pair))
                {
                    pairs.Add(pair);
                }

                AddOnce(codes, pair.First);
                AddOnce(codes, pair.Second);
            }
            else
            {
                errors.Add($"interprets[{index}]", $"'{text}' is not a pair of two different languages: write it as \"en-zh\".");
            }
        }

        if (codes.Count > MaxPerPerson)
        {
            errors.Add("languages", $"At most {MaxPerPerson} working languages can be recorded.");
        }

        if (pairs.Count > MaxPerPerson)
        {
            errors.Add("interprets", $"At most {MaxPerPerson} interpreted pairs can be recorded.");
        }

        return errors.Any ? null : new LanguageSpec(codes, pairs);
    }

    private static void AddOnce(List<string> codes, string code)
    {
        if (!codes.Contains(code))
        {
            codes.Add(code);
        }
    }
}

/// <summary>A person's working languages (ISO 639 codes) and, for an interpreter, the pairs they interpret between.</summary>
public sealed record LanguageSpec(IReadOnlyList<string> Languages, IReadOnlyList<LanguagePair> Interprets)
{
    public static LanguageSpec None { get; } = new([], []);

    public bool IsInterpreter => Interprets.Count > 0;

    /// <summary>The pairs as stored and sent: "en-zh".</summary>
    public IReadOnlyList<string> InterpretsWire => [.. Interprets.Select(p => p.ToString())];

    /// <summary>What a stored row holds (codes and "en-zh" texts), read back; texts that no longer parse are dropped.</summary>
    public static LanguageSpec FromStored(IEnumerable<string>? languages, IEnumerable<string>? interprets) => new(
        [.. (languages ?? []).Select(l => LanguageTags.TryNormalise(l, out var c) ? c : null).OfType<string>().Distinct()],
        [.. (interprets ?? []).Select(p => LanguagePair.TryParse(p, out var pair) ? pair : null).OfType<LanguagePair>().Distinct()]);

    // Records compare lists by reference; two readings of the same row must be equal.
    public bool Equals(LanguageSpec? other) =>
        other is not null && Languages.SequenceEqual(other.Languages) && Interprets.SequenceEqual(other.Interprets);

    public override int GetHashCode() => HashCode.Combine(Languages.Count, Interprets.Count, Languages.Count > 0 ? Languages[0] : null);
}

/// <summary>Two languages an interpreter works between, in either direction; kept in code order, so "zh-en" is "en-zh".</summary>
public sealed record LanguagePair
{
    // The parameters are named as the properties, so that the pair crosses grain calls as JSON (GrainSerialization).
    public LanguagePair(string first, string second)
    {
        if (!LanguageTags.TryNormalise(first, out var a) || !LanguageTags.TryNormalise(second, out var b) || a == b)
        {
            throw new ArgumentException($"'{first}' and '{second}' are not two different language codes.");
        }

        (First, Second) = string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
    }

    public string First { get; }

    public string Second { get; }

    /// <summary>"en-zh", "en/zh", "zh–en" or "en ↔ zh": two language codes (no subtags) with a separator.</summary>
    public static bool TryParse(string? text, out LanguagePair pair)
    {
        pair = null!;
        var parts = (text ?? "").Split(['-', '/', '–', '—', '<', '>', ' ', ',', '↔'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !LanguageTags.TryNormalise(parts[0], out var a) || !LanguageTags.TryNormalise(parts[1], out var b) || a == b)
        {
            return false;
        }

        pair = new LanguagePair(a, b);
        return true;
    }

    public bool Covers(string a, string b) => (a == First && b == Second) || (a == Second && b == First);

    public override string ToString() => $"{First}-{Second}";
}
