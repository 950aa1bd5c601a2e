namespace CommissionPlanner.Web.Security;

/// <summary>
/// Headers on every response, errors included (they are set as the response starts, after any handler cleared it):
/// no MIME sniffing, no referrer, no framing, no browser features, and a Content-Security-Policy that lets a JSON, CSV
/// or calendar response load nothing at all. An HTML page keeps a CSP it sets itself, or gets a same-origin one.
/// <c>/api</c> answers (personal data) are not stored by caches unless the endpoint says otherwise.
/// </summary>
/// <remarks>
/// A 304 carries none of them. It only confirms a response the client already stored: a cache updates that stored
/// response with the 304's headers and keeps the rest (RFC 9111, 4.3.4), so the security headers the 200 brought still
/// apply, and RFC 9110 (15.4.5) asks a 304 to carry no more than what guides that update (ETag, Cache-Control, Date…).
/// Most answers to calendar polls are 304s: some 700 bytes of headers fewer on each (docs/performance.md).
/// </remarks>
internal static class SecurityHeaders
{
    public const string NonHtmlPolicy = "default-src 'none'; frame-ancestors 'none'";

    public const string HtmlPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string PermissionsPolicy =
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), fullscreen=(), geolocation=(), gyroscope=(), magnetometer=(), " +
        "microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), usb=(), xr-spatial-tracking=()";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            if (context.Response.StatusCode == StatusCodes.Status304NotModified)
            {
                return Task.CompletedTask;
            }

            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = PermissionsPolicy;
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                var html = context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
                headers.ContentSecurityPolicy = html ? HtmlPolicy : NonHtmlPolicy;
            }

            if (context.Request.Path.StartsWithSegments("/api") && string.IsNullOrEmpty(headers.CacheControl))
            {
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    });
}
