using CommissionPlanner.Grains;
using CommissionPlanner.Web.Planning;

namespace CommissionPlanner.Web.Endpoints;

/// <summary>Turns a grain's refusal into the contract's problem details.</summary>
public static class CommandResults
{
    public static IResult ToProblem(this CommandResult result, string what)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Status switch
        {
            CommandStatus.NotFound => Problems.NotFound(result.Detail ?? what),
            CommandStatus.Invalid => TypedResults.ValidationProblem(
                result.Errors ?? new Dictionary<string, string[]>(),
                detail: result.Detail ?? "Correct the fields listed in 'errors' and send the request again.",
                title: "The request is invalid."),
            CommandStatus.Conflict => Problems.Conflict(result.Detail ?? "The request conflicts with the current state.", Extensions(result)),
            _ => throw new InvalidOperationException($"{result.Status} is not a failure."),
        };
    }

    private static Dictionary<string, object?> Extensions(CommandResult result)
    {
        var extensions = new Dictionary<string, object?>();
        if (result.Conflicts is { Count: > 0 } conflicts)
        {
            extensions["conflicts"] = conflicts.Select(PlanningQueries.ToResource).ToList();
        }

        if (result.Errors is { Count: > 0 } errors)
        {
            extensions["errors"] = errors;
        }

        foreach (var (name, value) in result.Numbers ?? new Dictionary<string, int>())
        {
            extensions[name] = value;
        }

        return extensions;
    }
}
