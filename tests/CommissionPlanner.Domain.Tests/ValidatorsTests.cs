namespace CommissionPlanner.Domain.Tests;

public class ValidatorsTests
{
    [Fact]
    public void All_249_officially_assigned_country_codes_are_known()
    {
        Assert.Equal(249, Validators.CountryCodes.Count);
        Assert.All(Validators.CountryCodes, code => Assert.Matches("^[A-Z]{2}$", code));
    }

    [Theory]
    [InlineData("GB")]
    [InlineData("CN")]
    [InlineData("HK")]
    [InlineData("SS")]
    [InlineData("AX")]
    public void Assigned_upper_case_codes_are_country_codes(string code) => Assert.True(Validators.IsCountryCode(code));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("gb")]
    [InlineData("UK")]
    [InlineData("XK")]
    [InlineData("EU")]
    [InlineData("GBR")]
    [InlineData(" GB")]
    public void Lower_case_reserved_and_user_assigned_codes_are_not_country_codes(string? code) =>
        Assert.False(Validators.IsCountryCode(code));

    [Theory]
    [InlineData("climate-environment")]
    [InlineData("planetary-science-astronomy")]
    [InlineData("health")]
    [InlineData("agri-food")]
    [InlineData("ai")]
    [InlineData("5g-networks")]
    public void Lower_case_hyphenated_words_are_area_slugs(string slug) => Assert.True(Validators.IsAreaSlug(slug));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("Health")]
    [InlineData("agri--food")]
    [InlineData("-health")]
    [InlineData("health-")]
    [InlineData("agri food")]
    [InlineData("agri_food")]
    [InlineData("santé")]
    public void Other_strings_are_not_area_slugs(string? slug) => Assert.False(Validators.IsAreaSlug(slug));

    [Fact]
    public void Area_slugs_are_at_most_64_characters()
    {
        Assert.True(Validators.IsAreaSlug(new string('a', 64)));
        Assert.False(Validators.IsAreaSlug(new string('a', 65)));
    }

    [Theory]
    [InlineData("minister@example.gov.uk")]
    [InlineData("first.last+jcm@example.org")]
    [InlineData("王@example.cn")]
    public void Plausible_addresses_are_emails(string email) => Assert.True(Validators.IsEmail(email));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("minister")]
    [InlineData("@example.org")]
    [InlineData("minister@localhost")]
    [InlineData("minister@@example.org")]
    [InlineData("a@b@example.org")]
    [InlineData("the minister@example.org")]
    [InlineData("minister@example.org ")]
    [InlineData("minister@.org")]
    [InlineData("minister@example.")]
    public void Implausible_addresses_are_not_emails(string? email) => Assert.False(Validators.IsEmail(email));

    [Fact]
    public void Addresses_longer_than_254_characters_are_not_emails()
    {
        // A local part has at most 64 octets and a label 63, so a long address has a long domain.
        var local = new string('a', 64);
        var domain = "@" + new string('b', 63) + "." + new string('c', 63) + "." + new string('d', 57) + ".org";
        Assert.Equal(254, (local + domain).Length);
        Assert.True(Validators.IsEmail(local + domain));
        Assert.False(Validators.IsEmail(local + domain.Replace(".org", "d.org", StringComparison.Ordinal)));
    }

    [Fact]
    public void Normalising_an_email_trims_and_lower_cases_it() =>
        Assert.Equal("minister@example.gov.uk", Validators.NormaliseEmail("  Minister@Example.GOV.uk "));
}
