using Microsoft.AspNetCore.Http.HttpResults;

namespace CommissionPlanner.Web.Ui;

/// <summary>
/// What a feed API function answered, for the person page's feed actions (create, rotate, revoke, list). The planning pages
/// call application commands (CommissionPlanner.Web.Commands) instead; the feeds have none yet, so this page still reads the
/// feed endpoints' typed results. Nothing else should use it.
/// </summary>
internal sealed class FeedOutcome
{
    private FeedOutcome(int status, object? value, string? detail)
    {
        Status = status;
        Value = value;
        Detail = detail;
    }

    public int Status { get; }

    public object? Value { get; }

    public string? Detail { get; }

    public T? ValueAs<T>() where T : class => Value as T;

    public static FeedOutcome From(IResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        return result switch
        {
            ProblemHttpResult problem => new(problem.StatusCode, null, problem.ProblemDetails.Detail),
            ValidationProblem validation => new(validation.StatusCode, null, validation.ProblemDetails.Detail),
            _ => new(status, (result as IValueHttpResult)?.Value, null),
        };
    }
}
