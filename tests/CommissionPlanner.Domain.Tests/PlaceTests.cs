using static CommissionPlanner.Domain.Tests.TestData;

namespace CommissionPlanner.Domain.Tests;

public class PlaceTests
{
    private static readonly GeoPoint Somewhere = new(0, 0);

    [Theory]
    [InlineData("Beijing", "CN", "Beijing", "CN")]
    [InlineData("Beijing", "CN", "  beijing ", "cn")]
    [InlineData("Zürich", "CH", "ZURICH", "CH")]
    [InlineData("São Paulo", "BR", "sao  paulo", "br")]
    [InlineData("Kraków", "PL", "Krakow", "PL")]
    public void Cities_match_ignoring_case_accents_and_surrounding_space(string city, string country, string otherCity, string otherCountry)
    {
        var a = new Place(Guid.NewGuid(), city, country, Somewhere);
        var b = new Place(Guid.NewGuid(), otherCity, otherCountry, Somewhere);

        Assert.True(a.IsSameCityAs(b));
        Assert.True(b.IsSameCityAs(a));
    }

    [Fact]
    public void A_city_of_the_same_name_in_another_country_is_a_different_city()
    {
        var londonEngland = new Place(Guid.NewGuid(), "London", "GB", Somewhere);
        var londonOntario = new Place(Guid.NewGuid(), "London", "CA", Somewhere);

        Assert.False(londonEngland.IsSameCityAs(londonOntario));
    }

    [Fact]
    public void Different_cities_do_not_match() => Assert.False(GreatHall.IsSameCityAs(CcusCentre));

    [Fact]
    public void Two_venues_in_Beijing_are_in_the_same_city() => Assert.True(GreatHall.IsSameCityAs(Tsinghua));
}
