using CommissionPlanner.Domain.Planning;

namespace CommissionPlanner.Web.Endpoints;

/// <summary>Problem details for the contract's common answers.</summary>
public static class Problems
{
    /// <summary>400 with every field problem in <c>errors</c>.</summary>
    public static IResult ToProblem(this FieldErrors errors, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return TypedResults.ValidationProblem(
            errors.ToDictionary(),
            detail: detail ?? "Correct the fields listed in 'errors' and send the request again.",
            title: "The request is invalid.");
    }

    public static IResult NotFound(string what) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Not found.",
        detail: $"No {what} with that id exists, or you may not see it.");

    public static IResult Conflict(string detail, IDictionary<string, object?>? extensions = null) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "The request conflicts with the current state.",
        detail: detail,
        extensions: extensions);

    public static IResult BadRequest(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return errors.ToProblem();
    }

    /// <summary>Parses a path id; callers answer 404 when it is not a UUID, as for an unknown id.</summary>
    public static bool TryParseId(string? text, out Guid id) => Guid.TryParse(text, out id);
}
