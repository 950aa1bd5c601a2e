using System.Globalization;
using CommissionPlanner.Domain.Planning;
using Microsoft.AspNetCore.WebUtilities;

namespace CommissionPlanner.Web.Lists;

/// <summary>One page of a list: at most <see cref="Limit"/> items after the item <see cref="After"/> (the cursor).</summary>
public readonly record struct Page(int Limit, long? After);

/// <summary>
/// Paging of lists that grow without bound (<c>limit</c>, <c>cursor</c>). The answer stays the contract's JSON array; when
/// more follow, a <c>Link: &lt;…?limit=…&amp;cursor=…&gt;; rel="next"</c> header names the next page. Cursors are opaque to
/// callers (today the last id of the page).
/// </summary>
public static class Paging
{
    public static Page Parse(int? limit, string? cursor, int maxLimit, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (limit is < 1 || limit > maxLimit)
        {
            errors.Add("limit", $"'limit' must be between 1 and {maxLimit}.");
        }

        long? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                after = parsed;
            }
            else
            {
                errors.Add("cursor", "'cursor' must be a value from a Link header's rel=\"next\" of an earlier page.");
            }
        }

        return new Page(limit ?? maxLimit, after);
    }

    /// <summary>Names the page after this one, keeping the request's other query parameters.</summary>
    public static void LinkNext(HttpContext http, int limit, long lastId)
    {
        ArgumentNullException.ThrowIfNull(http);
        var query = QueryHelpers.ParseQuery(http.Request.QueryString.Value)
            .Where(p => p.Key is not ("limit" or "cursor"))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new("limit", limit.ToString(CultureInfo.InvariantCulture)))
            .Append(new("cursor", lastId.ToString(CultureInfo.InvariantCulture)));
        var next = QueryHelpers.AddQueryString(http.Request.PathBase + http.Request.Path, query);
        http.Response.Headers.Append("Link", $"<{next}>; rel=\"next\"");
    }
}
