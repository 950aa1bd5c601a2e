using System.Text.RegularExpressions;

namespace CommissionPlanner.Web.Security;

/// <summary>
/// What a log line, a problem details document or a telemetry span may say about a request's path. Feed and reply-link
/// URLs carry their secret in the path (<c>/feeds/{token}.ics</c>, <c>/reply/{token}</c>), so they are never written as
/// they came: a request is named by its route template when it matched one, and otherwise by its path with any
/// secret segment replaced.
/// </summary>
public static partial class SecretPaths
{
    /// <summary>What stands in for a secret path segment.</summary>
    public const string Redacted = "{redacted}";

    /// <summary>The request, for a log line: its route template (<c>/feeds/{file}</c>) or its redacted path.</summary>
    public static string ForLog(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        // The exception handler clears the endpoint before it runs again; its feature keeps the one that failed.
        var endpoint = http.GetEndpoint() ?? http.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Endpoint;
        if (endpoint is RouteEndpoint { RoutePattern.RawText: { Length: > 0 } template })
        {
            return template.StartsWith('/') ? template : "/" + template;
        }

        return Redact(http.Request.Path.Value);
    }

    /// <summary>
    /// Any text that may hold a path or URL (a path, a full URL, a span name): every segment after <c>/feeds/</c> or
    /// <c>/reply/</c> becomes <see cref="Redacted"/>, up to the next slash, query or fragment. Route templates
    /// (<c>/feeds/{file}</c>) and the API's own routes (<c>/api/feeds/{id}</c>, ids are not secrets) stay as they are.
    /// </summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        return MayHoldSecret(text) ? SecretSegment().Replace(text, "/$1/" + Redacted) : text;
    }

    /// <summary>Cheap test before the regular expression: most paths are neither feeds nor reply links.</summary>
    public static bool MayHoldSecret(string text) =>
        text.Contains("/feeds/", StringComparison.OrdinalIgnoreCase) || text.Contains("/reply/", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("(?<!/api)/(feeds|reply)/(?!\\{)[^/?#\\s\"']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretSegment();
}
