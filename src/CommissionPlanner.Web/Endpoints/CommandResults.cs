using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Planning;

namespace CommissionPlanner.Web.Endpoints;

/// <summary>Turns a command's refusal into the contract's status code and problem details.</summary>
public static class CommandResults
{
    private const string CorrectTheFields = "Correct the fields listed in 'errors' and send the request again.";

    public static IResult ToProblem(this Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.Kind switch
        {
            FailureKind.NotFound => Problems.NotFound(failure.Detail ?? "resource"),
            FailureKind.Invalid => TypedResults.ValidationProblem(
                failure.Errors, detail: failure.Detail ?? CorrectTheFields, title: "The request is invalid."),
            FailureKind.Conflict => Problems.Conflict(failure.Detail ?? "The request conflicts with the current state.", Extensions(failure)),
            FailureKind.Forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: failure.Detail),
            _ => throw new InvalidOperationException($"{failure.Kind} is not a known failure."),
        };
    }

    private static Dictionary<string, object?> Extensions(Failure failure)
    {
        var extensions = new Dictionary<string, object?>();
        if (failure.Conflicts.Count > 0)
        {
            extensions["conflicts"] = failure.Conflicts.Select(PlanningQueries.ToResource).ToList();
        }

        if (failure.Errors.Count > 0)
        {
            extensions["errors"] = failure.Errors;
        }

        foreach (var (name, value) in failure.Numbers)
        {
            extensions[name] = value;
        }

        return extensions;
    }
}
