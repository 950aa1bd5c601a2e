using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace CommissionPlanner.Web.Hosting;

/// <summary>
/// Turns exceptions into problem details: malformed bodies are the caller's 400 (or 413), an unreachable
/// database is a 503 worth retrying, anything else a 500 without internals (no stack, no SQL).
/// </summary>
internal sealed class PlannerExceptionHandler(IProblemDetailsService problemDetails, ILogger<PlannerExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = Classify(exception);
        if (status >= 500)
        {
            // The route template, never the path: a feed or reply-link path is its secret (docs/security.md). The trace id
            // is the problem's traceId, so a caller's report finds its log line.
            logger.LogError(exception, "Request {Method} {Route} failed (trace {TraceId})", httpContext.Request.Method,
                Security.SecretPaths.ForLog(httpContext), System.Diagnostics.Activity.Current?.Id ?? httpContext.TraceIdentifier);
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        httpContext.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (FindJsonException(exception) is { Path: { Length: > 1 } path })
        {
            // Name the field, as validation errors do: "$.latitude" → "latitude".
            var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = problem,
        });
    }

    private static (int Status, string Title, string Detail) Classify(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            (413, "The request body is too large.", "Send a smaller body."),
        BadHttpRequestException { InnerException: JsonException json } =>
            (400, "The request body is not valid JSON.", JsonDetail(json)),
        BadHttpRequestException bad =>
            (bad.StatusCode, "The request could not be read.", bad.Message),
        JsonException json =>
            (400, "The request body is not valid JSON.", JsonDetail(json)),
        _ when IsDatabaseUnavailable(exception) =>
            (503, "The database is unavailable.", "The planner cannot reach its database right now. Try again shortly; nothing was changed."),
        // A silo died mid-call (docs/operations.md): retryable, like the database being away.
        _ when ClusterFaults.IsClusterUnavailable(exception) => (503, ClusterFaults.Title, ClusterFaults.Detail),
        _ => (500, "An unexpected error occurred.", "The request failed on the server. It has been logged; try again, and report it if it persists."),
    };

    private static string JsonDetail(JsonException json) =>
        json.Path is { Length: > 0 } path
            ? $"The JSON is malformed or has a value of the wrong type at '{path}'."
            : "The JSON is malformed.";

    private static JsonException? FindJsonException(Exception exception) =>
        exception as JsonException ?? exception.InnerException as JsonException;

    /// <summary>A failure to reach PostgreSQL (here, or in a grain on another silo): worth a retry, and a 503.</summary>
    internal static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            // DatabaseUnavailableException: the same, raised in a grain on another silo (DatabaseFaultFilter).
            if (e is NpgsqlException { IsTransient: true } or SocketException or TimeoutException or DatabaseUnavailableException)
            {
                return true;
            }
        }

        return false;
    }
}
