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

    [Fact]
    public void A_place_given_another_city_compares_by_the_new_city_and_equals_a_place_made_with_it()
    {
        // The city's folded key is kept with the place; a with-expression must fold the new city, not keep the old key.
        var venue = Guid.NewGuid();
        var moved = new Place(venue, "Beijing", "CN", Somewhere) with { City = "Zürich" };

        Assert.True(moved.IsSameCityAs(new Place(Guid.NewGuid(), "zurich", "CH", Somewhere) with { Country = "CN" }));
        Assert.False(moved.IsSameCityAs(new Place(Guid.NewGuid(), "Beijing", "CN", Somewhere)));
        Assert.Equal(new Place(venue, "Zürich", "CN", Somewhere), moved);
        Assert.Equal(new Place(venue, "Zürich", "CN", Somewhere).GetHashCode(), moved.GetHashCode());
    }
}
