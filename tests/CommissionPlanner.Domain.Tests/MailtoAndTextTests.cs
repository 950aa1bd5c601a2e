using CommissionPlanner.Domain.Planning;

namespace CommissionPlanner.Domain.Tests;

/// <summary>
/// What the planner accepts must render in every calendar (issue 15): e-mail addresses that make a valid mailto: URI,
/// texts without control characters, dates in the years it represents. The API and the import share these rules.
/// </summary>
public sealed class MailtoAndTextTests
{
    [Theory]
    [InlineData("minister@example.gov.uk", "mailto:minister@example.gov.uk")]
    [InlineData("first.last+jcm@example.org", "mailto:first.last+jcm@example.org")]
    [InlineData("\"jane doe\"@example.org", "mailto:%22jane%20doe%22@example.org")]
    [InlineData("\"a\\\"b@c\"@example.org", "mailto:%22a%5C%22b%40c%22@example.org")]
    [InlineData("100%sure@example.org", "mailto:100%25sure@example.org")]
    [InlineData("a&b=c?d#e/f{g}|h^i`j@example.org", "mailto:a%26b%3Dc%3Fd%23e%2Ff%7Bg%7D%7Ch%5Ei%60j@example.org")]
    [InlineData("o'brien!$*@example.org", "mailto:o'brien!$*@example.org")]
    [InlineData("jürgen@bücher.example", "mailto:j%C3%BCrgen@xn--bcher-kva.example")]
    [InlineData("王伟@例子.中国", "mailto:%E7%8E%8B%E4%BC%9F@xn--fsqu00a.xn--fiqs8s")]
    [InlineData("emoji😀@example.org", "mailto:emoji%F0%9F%98%80@example.org")]
    [InlineData("someone@EXAMPLE.org", "mailto:someone@example.org")]
    public void An_accepted_address_becomes_a_well_formed_mailto_URI(string email, string expected)
    {
        Assert.True(Validators.IsEmail(email));
        Assert.True(Validators.TryMailtoUri(email, out var uri));
        Assert.Equal(expected, uri);
        // RFC 3986 characters only (unreserved, sub-delims, ':', '@' and percent-escapes), and .NET reads it as a mailto: URI.
        Assert.Matches("^mailto:([A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-F]{2})+$", uri);
        Assert.True(Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme == "mailto", uri);
        // Percent-decoding gives the local part back exactly.
        Assert.Equal(email[..email.LastIndexOf('@')], Uri.UnescapeDataString(uri["mailto:".Length..uri.LastIndexOf('@')]));
    }

    [Theory]
    [InlineData("<a@example.org>")]
    [InlineData("Jane Doe <jane@example.org>")]
    [InlineData("jane doe@example.org")]
    [InlineData("\"unterminated@example.org")]
    [InlineData("\"bad\\\u0001\"@example.org")]
    [InlineData("\"a\nb\"@example.org")]
    [InlineData(".jane@example.org")]
    [InlineData("jane.@example.org")]
    [InlineData("ja..ne@example.org")]
    [InlineData("jane@exa_mple.org")]
    [InlineData("jane@-example.org")]
    [InlineData("jane@example-.org")]
    [InlineData("jane@[192.0.2.1]")]
    [InlineData("jane@192.0.2.1")]
    [InlineData("jane@example..org")]
    [InlineData("ja\u0007ne@example.org")]
    [InlineData("ja\u200Bne@example.org")]
    [InlineData("jane@exam ple.org")]
    [InlineData("jane,doe@example.org")]
    [InlineData("jane;doe@example.org")]
    [InlineData("jane(comment)@example.org")]
    public void An_address_that_cannot_be_a_mailto_URI_is_refused(string email)
    {
        Assert.False(Validators.IsEmail(email));
        Assert.False(Validators.TryMailtoUri(email, out _));
    }

    [Fact]
    public void Lone_surrogates_are_refused_in_addresses_and_texts()
    {
        // Built at run time: an attribute argument cannot carry a lone surrogate (it arrives as U+FFFD).
        Assert.False(Validators.IsEmail("jane" + '\uD83D' + "@example.org"));
        Assert.False(Validators.IsEmail("\"jane" + '\uDE00' + "\"@example.org"));
        Assert.NotNull(Validators.TextProblem("lone " + '\uD83D' + " high", multiline: true));
        Assert.NotNull(Validators.TextProblem("lone " + '\uDE00' + " low", multiline: true));
        Assert.NotNull(Validators.TextProblem("ends " + '\uD83D', multiline: false));
    }

    [Fact]
    public void A_local_part_is_at_most_64_octets_and_a_label_63()
    {
        Assert.True(Validators.IsEmail(new string('a', 64) + "@example.org"));
        Assert.False(Validators.IsEmail(new string('a', 65) + "@example.org"));
        Assert.False(Validators.IsEmail(new string('é', 33) + "@example.org")); // 66 octets in UTF-8
        Assert.True(Validators.IsEmail("a@" + new string('b', 63) + ".org"));
        Assert.False(Validators.IsEmail("a@" + new string('b', 64) + ".org"));
    }

    [Theory]
    [InlineData("Plenary 😀👍🏽🇬🇧", false)]
    [InlineData("اجتماع \u200Fاللجنة\u200E \u202Bx\u202C \u2067y\u2069", false)]
    [InlineData("Back\\slash; semi, comma \"quoted\"", false)]
    [InlineData("Agenda:\n\t1. Opening\r\n\t2. Close", true)]
    public void Texts_with_emoji_bidi_marks_and_escapable_characters_are_fine(string text, bool multiline) =>
        Assert.Null(Validators.TextProblem(text, multiline));

    [Theory]
    [InlineData("two\nlines", false)]
    [InlineData("tab\there", false)]
    [InlineData("bell\u0007", true)]
    [InlineData("NUL\u0000", true)]
    [InlineData("DEL\u007F", true)]
    [InlineData("C1\u0085", true)]
    [InlineData("non\uFFFEcharacter", true)]
    public void Texts_with_control_characters_or_broken_code_points_are_refused(string text, bool multiline) =>
        Assert.NotNull(Validators.TextProblem(text, multiline));

    [Fact]
    public void An_engagement_title_or_description_with_a_control_character_is_an_error_naming_the_field()
    {
        var errors = new FieldErrors();
        var input = new EngagementInput(Kind: "meeting", Title: "bell\u0007", VenueId: "v", Start: "2025-11-11T10:00", End: "2025-11-11T11:00",
            Description: "ok\nfine \u001B[31m", Host: "two\nlines");
        Assert.Null(EngagementSpecs.Validate(input, _ => new VenueRef(Guid.NewGuid(), "Asia/Shanghai"), DateTimeZoneProviders.Tzdb, errors));
        var fields = errors.ToDictionary();
        Assert.Contains("title", fields.Keys);
        Assert.Contains("description", fields.Keys);
        Assert.Contains("host", fields.Keys);
    }

    [Fact]
    public void A_member_with_an_angle_bracketed_address_is_an_error_naming_email()
    {
        var errors = new FieldErrors();
        Assert.Null(ReferenceSpecs.Validate(new MemberInput("Jane Doe", null, "UKRI", "Delegate", "<a@example.org>", "member"), errors));
        Assert.Equal(["email"], errors.ToDictionary().Keys);
    }

    [Theory]
    [InlineData("1900-01-01T00:00", true)]
    [InlineData("2199-12-31T23:59:59", true)]
    [InlineData("1899-12-31T23:59", false)]
    [InlineData("2200-01-01T00:00", false)]
    [InlineData("9998-01-01T10:00", false)]
    public void Local_times_are_accepted_in_the_years_1900_to_2199(string text, bool accepted) =>
        Assert.Equal(accepted, WireTime.TryParseLocal(text, out _));

    [Theory]
    [InlineData("1900-01-01", true)]
    [InlineData("2199-12-31", true)]
    [InlineData("1899-12-31", false)]
    [InlineData("9998-01-01", false)]
    public void Dates_are_accepted_in_the_years_1900_to_2199(string text, bool accepted) =>
        Assert.Equal(accepted, WireTime.TryParseDate(text, out _));

    [Fact]
    public void An_engagement_in_the_year_9998_is_an_error_naming_start_and_end()
    {
        var errors = new FieldErrors();
        var input = new EngagementInput(Kind: "meeting", Title: "Far", VenueId: "v", Start: "9998-01-01T10:00", End: "9998-01-01T11:00");
        Assert.Null(EngagementSpecs.Validate(input, _ => new VenueRef(Guid.NewGuid(), "Asia/Shanghai"), DateTimeZoneProviders.Tzdb, errors));
        var fields = errors.ToDictionary();
        Assert.Contains("1900", fields["start"][0], StringComparison.Ordinal);
        Assert.Contains("end", fields.Keys);
    }

    [Fact]
    public void A_programme_in_the_year_9998_is_an_error_naming_its_dates()
    {
        var errors = new FieldErrors();
        Assert.Null(ReferenceSpecs.Validate(new ProgrammeInput("Far", "9998-01-01", "9998-01-02", "Europe/London", []), DateTimeZoneProviders.Tzdb, errors));
        Assert.Equal(["endDate", "startDate"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>Host names at the edges of the plain-ASCII shortcut, and some well past it.</summary>
    private static List<string> HostNames()
    {
        var names = new List<string>
        {
            "example.org", "EXAMPLE.ORG", "Mail.Example.Gov.UK", "a.b", "1.2", "a.1", "1a.b2", "x-y.z", "a-b-c.d-e",
            "xn--bcher-kva.example", "XN--BCHER-KVA.EXAMPLE", "Xn--Bcher-Kva.example", "xn--fsqu00a.xn--fiqs8s", "xn--zz.example",
            "xn--.example", "xn--a.example", "xn---.example", "ab--cd.example", "abc--d.example", "a--b.example", "ab-.example",
            "-ab.example", "ab.-example", "ab.example-", "a..b", ".a.b", "a.b.", ".", "..", "a", "-", "--", "a.-", "a_b.example",
            "a b.example", "bücher.example", "BÜCHER.example", "例子.中国", "ｅｘａｍｐｌｅ.org", "exa\u00ADmple.org", "a\u200Db.org",
            "\u0661.example", "ab\u0301.example", "ß.example", "ς.example", "Ⅷ.example", "a\u3002b", "a\uFF0Eb",
            new string('a', 63) + ".example", new string('a', 64) + ".example", string.Join('.', Enumerable.Repeat(new string('b', 49), 5)) + ".ab",
            string.Join('.', Enumerable.Repeat(new string('c', 63), 4)), string.Join('.', Enumerable.Repeat(new string('c', 63), 4))[..253],
            string.Join('.', Enumerable.Repeat(new string('c', 63), 4))[..254], string.Join('.', Enumerable.Repeat(new string('c', 63), 4))[..255],
        };
        var random = new Random(22);
        const string alphabet = "aZ09-.-.xXnN";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(1, 12)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            names.Add(new string(chars));
        }

        return names;
    }

    [Fact]
    public void A_plain_ASCII_host_name_gets_the_same_answer_without_ICU_as_with_it()
    {
        var names = HostNames();
        var differ = names.Where(d => Validators.AsciiDomain(d) != Validators.IdnAsciiDomain(d))
            .Select(d => $"{d}: {Validators.AsciiDomain(d) ?? "refused"} without ICU, {Validators.IdnAsciiDomain(d) ?? "refused"} with it");
        Assert.Empty(differ);
        // The random names reach both answers, and the shortcut: the comparison is not between two refusals only.
        Assert.Contains(names, d => Validators.IdnAsciiDomain(d) is null);
        Assert.Contains(names, d => Validators.IdnAsciiDomain(d) is not null && !d.Contains("--", StringComparison.Ordinal));
    }
}
