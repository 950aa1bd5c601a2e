using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Lists;
using Microsoft.AspNetCore.WebUtilities;
using NodaTime;

namespace CommissionPlanner.Web.Tests.Lists;

/// <summary>The one paging rule (<see cref="Paging"/>) on its own: opt-in, limits, cursors and their round trip.</summary>
public sealed class PagingCursorTests
{
    [Fact]
    public void Without_limit_or_cursor_there_is_no_page_and_a_limit_alone_is_the_first_page()
    {
        var errors = new FieldErrors();
        Assert.Null(Paging.ParseKeyset<CreatedKey>(null, null, errors));

        var first = Paging.ParseKeyset<CreatedKey>(5, null, errors);
        Assert.Equal(new KeysetPage<CreatedKey>(5, null), first);
        Assert.False(errors.Any);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public void A_limit_outside_1_to_1000_names_limit(int limit)
    {
        var errors = new FieldErrors();
        Paging.ParseKeyset<CreatedKey>(limit, null, errors);
        Assert.True(errors.Any);
        Assert.Contains("limit", errors.ToDictionary().Keys);
    }

    [Fact]
    public void A_cursor_alone_pages_by_the_most_a_page_holds()
    {
        var cursor = Paging.EncodeCursor(new PromotionKey(7));
        var errors = new FieldErrors();
        Assert.Equal(new KeysetPage<PromotionKey>(Paging.MaxLimit, new PromotionKey(7)), Paging.ParseKeyset<PromotionKey>(null, cursor, errors));
        Assert.False(errors.Any);
    }

    [Fact]
    public void Every_key_round_trips_through_its_cursor_to_the_same_values()
    {
        // Instants keep their microseconds (PostgreSQL's precision): a cursor off by a tick would repeat or skip a row.
        var at = Instant.FromUnixTimeTicks(17_650_000_000_001_230L);
        var id = Guid.CreateVersion7();
        RoundTrip(new CreatedKey(at, id));
        RoundTrip(new EngagementKey(at, at.Plus(Duration.FromMinutes(90)), id));
        RoundTrip(new ProgrammeKey(new LocalDate(2025, 11, 10), "11th UK–China Joint Commission, \"JCM\" & co.", id));
        RoundTrip(new VenueKey("北京", "钓鱼台国宾馆", id));
        RoundTrip(new StayKey(new LocalDate(2025, 11, 11), id));
        RoundTrip(new VehicleKey("Car 1 / Minibus?&=", id));
        RoundTrip(new PromotionKey(long.MaxValue));

        static void RoundTrip<TKey>(TKey key)
            where TKey : class
        {
            var cursor = Paging.EncodeCursor(key);
            // Safe in a query string as it is: base64url has no '+', '/' or '='.
            Assert.Matches("^[A-Za-z0-9_-]+$", cursor);
            Assert.Equal(key, Paging.DecodeCursor<TKey>(cursor));
        }
    }

    [Theory]
    [InlineData("abc")]                                  // not base64url of JSON
    [InlineData("!!!")]                                  // not base64url at all
    [InlineData("12345")]                                // an audit cursor
    [InlineData("null")]
    [InlineData("{\"createdAt\":\"2025-11-11T10:00:00Z\"}")] // the id missing
    [InlineData("{\"createdAt\":\"2025-11-11T10:00:00Z\",\"id\":\"not-a-uuid\"}")]
    [InlineData("{\"createdAt\":\"yesterday\",\"id\":\"0193a1b2-0000-7000-8000-000000000000\"}")]
    [InlineData("{\"createdAt\":\"2025-11-11T10:00:00Z\",\"id\":\"0193a1b2-0000-7000-8000-000000000000\",\"more\":1}")]
    [InlineData("[\"2025-11-11T10:00:00Z\",\"0193a1b2-0000-7000-8000-000000000000\"]")]
    public void A_cursor_that_is_not_one_of_ours_names_cursor(string text)
    {
        // JSON-looking cases are sent as a client could forge them: base64url of the text.
        var cursor = text.StartsWith('{') || text.StartsWith('[') || text == "null"
            ? WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(text))
            : text;
        var errors = new FieldErrors();
        Paging.ParseKeyset<CreatedKey>(10, cursor, errors);
        Assert.Contains("cursor", errors.ToDictionary().Keys);
        Assert.DoesNotContain("limit", errors.ToDictionary().Keys);
    }

    [Fact]
    public void The_audits_number_cursors_are_unchanged()
    {
        var errors = new FieldErrors();
        Assert.Equal(new Page(1000, 42), Paging.Parse(null, "42", 1000, errors));
        Paging.Parse(0, "x", 1000, errors);
        Assert.Equal(["cursor", "limit"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    // Sizes of the rows read (limit + 1 of them), the limit, how many make the page, whether a next page follows.
    [InlineData(new[] { 2, 2, 2, 2 }, 3, 1, true)]        // two would be 4 > 3
    [InlineData(new[] { 1, 2, 1, 5 }, 4, 3, true)]        // 1 + 2 + 1 = 4 fits; 5 more does not
    [InlineData(new[] { 51, 51, 51 }, 100, 1, true)]      // a delegation of 50 members is about half a page of 100
    [InlineData(new[] { 250, 3 }, 100, 1, true)]          // larger than the limit: it comes, alone, and paging moves on
    [InlineData(new[] { 1, 1, 1 }, 5, 3, false)]          // fewer rows than a page: the last page
    [InlineData(new[] { 1, 1, 1, 1 }, 3, 3, true)]        // items of size 1 page exactly as Cut does
    public void A_page_of_items_that_carry_items_holds_whole_items_up_to_the_limit_and_at_least_one(int[] sizes, int limit, int kept, bool more)
    {
        var rows = sizes.Select((size, i) => (Size: size, Key: new PromotionKey(i + 1))).ToList();
        var next = Paging.CutBySize(rows, new KeysetPage<PromotionKey>(limit, null), r => r.Size, r => r.Key);
        Assert.Equal(kept, rows.Count);
        Assert.Equal(more, next is not null);
        if (next is not null)
        {
            Assert.Equal(new PromotionKey(kept), Paging.DecodeCursor<PromotionKey>(next));
        }

        var unpaged = sizes.Select((size, i) => (Size: size, Key: new PromotionKey(i + 1))).ToList();
        Assert.Null(Paging.CutBySize<(int Size, PromotionKey Key), PromotionKey>(unpaged, null, r => r.Size, r => r.Key));
        Assert.Equal(sizes.Length, unpaged.Count);
    }
}
