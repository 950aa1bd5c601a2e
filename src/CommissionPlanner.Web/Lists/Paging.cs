using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CommissionPlanner.Domain.Planning;
using Microsoft.AspNetCore.WebUtilities;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace CommissionPlanner.Web.Lists;

/// <summary>One page of a list: at most <see cref="Limit"/> items after the item <see cref="After"/> (the cursor).</summary>
public readonly record struct Page(int Limit, long? After);

/// <summary>
/// One page of a list in the order of a key of several columns ending in the id: at most <see cref="Limit"/> items whose
/// key comes after <see cref="After"/> (null: the first page).
/// </summary>
public readonly record struct KeysetPage<TKey>(int Limit, TKey? After)
    where TKey : class;

/// <summary>The items of one page, its limit and the next page's cursor (null: the last page, or the whole list unpaged).</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Limit, string? Next);

/// <summary>
/// Paging of lists that grow without bound (<c>limit</c>, <c>cursor</c>). The answer stays the contract's JSON array; when
/// more follow, a <c>Link: &lt;…?limit=…&amp;cursor=…&gt;; rel="next"</c> header names the next page. Cursors are opaque to
/// callers: the audit's are the last id of the page; every other list's are the last item's sort key and id as base64url
/// JSON (<see cref="ParseKeyset{TKey}"/>), so the next page is a range of an index, never an OFFSET that reads what it skips.
/// </summary>
public static class Paging
{
    /// <summary>The most items a page of any list holds, and what a cursor without a limit gets.</summary>
    public const int MaxLimit = 1000;

    private const string CursorProblem = "'cursor' must be a value from a Link header's rel=\"next\" of an earlier page.";

    // A cursor must name every column of its key: a missing or extra one is a bad cursor, not a silent default.
    private static readonly JsonSerializerOptions CursorJson = new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    }.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);

    public static Page Parse(int? limit, string? cursor, int maxLimit, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        CheckLimit(limit, maxLimit, errors);

        long? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                after = parsed;
            }
            else
            {
                errors.Add("cursor", CursorProblem);
            }
        }

        return new Page(limit ?? maxLimit, after);
    }

    /// <summary>
    /// The page a request asks for, or null when it names neither <c>limit</c> nor <c>cursor</c>: paging is opt-in, and without
    /// it a list answers whole, as before there was paging. A cursor alone gets pages of <see cref="MaxLimit"/>.
    /// </summary>
    public static KeysetPage<TKey>? ParseKeyset<TKey>(int? limit, string? cursor, FieldErrors errors)
        where TKey : class
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (limit is null && cursor is null)
        {
            return null;
        }

        CheckLimit(limit, MaxLimit, errors);
        TKey? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            after = DecodeCursor<TKey>(cursor);
            if (after is null)
            {
                errors.Add("cursor", CursorProblem);
            }
        }

        return new KeysetPage<TKey>(limit ?? MaxLimit, after);
    }

    /// <summary>The cursor that names the items after <paramref name="key"/>: its JSON, base64url, so it is safe in a query string.</summary>
    public static string EncodeCursor<TKey>(TKey key)
        where TKey : class =>
        WebEncoders.Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(key, CursorJson));

    /// <summary>The key a cursor names, or null when it is not one of <see cref="EncodeCursor{TKey}"/>'s for this list.</summary>
    public static TKey? DecodeCursor<TKey>(string cursor)
        where TKey : class
    {
        ArgumentNullException.ThrowIfNull(cursor);
        try
        {
            return JsonSerializer.Deserialize<TKey>(WebEncoders.Base64UrlDecode(cursor), CursorJson);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>One more row than the page holds (so <see cref="Cut{T, TKey}"/> knows whether another follows); all of them unpaged.</summary>
    public static IQueryable<T> Take<T, TKey>(IQueryable<T> ordered, KeysetPage<TKey>? page)
        where TKey : class =>
        page is { } p ? ordered.Take(p.Limit + 1) : ordered;

    /// <summary>
    /// Cuts <paramref name="rows"/> to the page: the query read one more than the limit so as to know whether a next page
    /// follows. Returns the next page's cursor (the last item's key), or null on the last page or when there is no paging.
    /// </summary>
    public static string? Cut<T, TKey>(List<T> rows, KeysetPage<TKey>? page, Func<T, TKey> keyOf)
        where TKey : class
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(keyOf);
        if (page is not { } p || rows.Count <= p.Limit)
        {
            return null;
        }

        rows.RemoveRange(p.Limit, rows.Count - p.Limit);
        return EncodeCursor(keyOf(rows[^1]));
    }

    /// <summary>
    /// Cuts <paramref name="rows"/> to the page of a list whose items carry items of their own (a delegation its members):
    /// <see cref="KeysetPage{TKey}.Limit"/> bounds the sum of their sizes, so a page costs about the same however large its
    /// items are. Whole items only, as many as fit, but always at least one, so an item larger than the limit still comes
    /// (alone) and paging always moves on. The query read <c>limit</c> + 1 rows: each counts at least 1, so that is enough
    /// to know whether more follow. Returns the next page's cursor, or null on the last page or when there is no paging.
    /// </summary>
    public static string? CutBySize<T, TKey>(List<T> rows, KeysetPage<TKey>? page, Func<T, int> sizeOf, Func<T, TKey> keyOf)
        where TKey : class
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(sizeOf);
        ArgumentNullException.ThrowIfNull(keyOf);
        if (page is not { } p)
        {
            return null;
        }

        var fit = 0;
        var used = 0;
        while (fit < rows.Count && (fit == 0 || used + sizeOf(rows[fit]) <= p.Limit))
        {
            used += sizeOf(rows[fit]);
            fit++;
        }

        if (fit == rows.Count)
        {
            return null;
        }

        rows.RemoveRange(fit, rows.Count - fit);
        return EncodeCursor(keyOf(rows[^1]));
    }

    /// <summary>A query's items as a page (or as the whole list, when <paramref name="page"/> is null).</summary>
    public static Paged<T> Result<T, TKey>(IReadOnlyList<T> items, KeysetPage<TKey>? page, string? next)
        where TKey : class =>
        new(items, page?.Limit ?? 0, next);

    /// <summary>The page's items, with the Link header naming the next page when there is one.</summary>
    public static IReadOnlyList<T> Answer<T>(HttpContext http, Paged<T> paged)
    {
        ArgumentNullException.ThrowIfNull(paged);
        if (paged.Next is { } next)
        {
            LinkNext(http, paged.Limit, next);
        }

        return paged.Items;
    }

    /// <summary>Names the page after this one, keeping the request's other query parameters.</summary>
    public static void LinkNext(HttpContext http, int limit, long lastId) =>
        LinkNext(http, limit, lastId.ToString(CultureInfo.InvariantCulture));

    /// <summary>Names the page after this one, keeping the request's other query parameters.</summary>
    public static void LinkNext(HttpContext http, int limit, string cursor)
    {
        ArgumentNullException.ThrowIfNull(http);
        var query = QueryHelpers.ParseQuery(http.Request.QueryString.Value)
            .Where(p => p.Key is not ("limit" or "cursor"))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new("limit", limit.ToString(CultureInfo.InvariantCulture)))
            .Append(new("cursor", cursor));
        var next = QueryHelpers.AddQueryString(http.Request.PathBase + http.Request.Path, query);
        http.Response.Headers.Append("Link", $"<{next}>; rel=\"next\"");
    }

    private static void CheckLimit(int? limit, int maxLimit, FieldErrors errors)
    {
        if (limit is < 1 || limit > maxLimit)
        {
            errors.Add("limit", $"'limit' must be between 1 and {maxLimit}.");
        }
    }
}
