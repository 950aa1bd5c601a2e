using CommissionPlanner.Web.Planning;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommissionPlanner.Web.Ui;

/// <summary>
/// What an API endpoint function answered, for a page that called it: pages reuse the endpoints' own code (validation
/// through the domain's specs, the grain call, the mapping of its refusals) and read the typed result instead of JSON.
/// </summary>
internal sealed class EndpointOutcome
{
    private EndpointOutcome(int status, object? value, string? detail, IDictionary<string, string[]> errors, IReadOnlyList<ClashResource> conflicts)
    {
        Status = status;
        Value = value;
        Detail = detail;
        Errors = errors;
        Conflicts = conflicts;
    }

    public int Status { get; }

    public object? Value { get; }

    public string? Detail { get; }

    /// <summary>Field errors keyed by the JSON path the API would answer with.</summary>
    public IDictionary<string, string[]> Errors { get; }

    public IReadOnlyList<ClashResource> Conflicts { get; }

    public bool Succeeded => Status is >= 200 and < 300;

    public T? ValueAs<T>() where T : class => Value as T;

    public static EndpointOutcome From(IResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        switch (result)
        {
            case ValidationProblem validation:
                return new(validation.StatusCode, null, validation.ProblemDetails.Detail, validation.ProblemDetails.Errors, []);
            case ProblemHttpResult problem:
                var errors = problem.ProblemDetails.Extensions.TryGetValue("errors", out var e) && e is IReadOnlyDictionary<string, string[]> dict
                    ? dict.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
                    : new Dictionary<string, string[]>(StringComparer.Ordinal);
                var conflicts = problem.ProblemDetails.Extensions.TryGetValue("conflicts", out var c) && c is IEnumerable<ClashResource> list
                    ? list.ToList()
                    : [];
                return new(problem.StatusCode, null, problem.ProblemDetails.Detail, errors, conflicts);
            default:
                return new(status, (result as IValueHttpResult)?.Value, null, new Dictionary<string, string[]>(StringComparer.Ordinal), []);
        }
    }
}
