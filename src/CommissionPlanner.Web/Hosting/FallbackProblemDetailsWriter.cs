using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CommissionPlanner.Web.Hosting;

/// <summary>
/// The default problem-details writer only answers clients that accept JSON; a browser asking for text/html would
/// otherwise get a 500 from an error it should see as 401, 404 or 400. This one comes last and always writes
/// application/problem+json, so the status code is right whatever the Accept header says.
/// </summary>
internal sealed class FallbackProblemDetailsWriter(IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        context.ProblemDetails.Status ??= response.StatusCode;
        // The default writer applies ProblemDetailsOptions.CustomizeProblemDetails itself; this one must too.
        HostingExtensions.FinishProblem(context);
        return new ValueTask(response.WriteAsJsonAsync(
            context.ProblemDetails, json.Value.SerializerOptions, "application/problem+json", context.HttpContext.RequestAborted));
    }
}
