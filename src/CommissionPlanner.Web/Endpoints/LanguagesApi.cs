using System.Text.Json;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Endpoints;

/// <summary>The body of <c>PUT /api/people/{id}/languages</c>: ISO 639 codes, and for an interpreter the pairs they cover.</summary>
public sealed record LanguagesInput(IReadOnlyList<string>? Languages, IReadOnlyList<string>? Interprets);

/// <summary>
/// The languages a person works in, which interpreter coverage compares (docs/languages.md). Staff set them; everyone who
/// may read the person sees them on the person resource.
/// </summary>
public static class LanguagesApi
{
    public static RouteGroupBuilder MapLanguagesApi(this RouteGroupBuilder api)
    {
        api.MapPut("/people/{id}/languages", Put).WithTags("People").RequireAuthorization(Policies.Plan).WithName("PutLanguages")
            .Accepts<LanguagesInput>("application/json").Produces<PersonResource>()
            .WithSummary("Set the languages a person works in and, for an interpreter, the pairs they cover (replaces both; If-Match optional).");
        return api;
    }

    private static readonly string[] Fields = ["languages", "interprets"];

    /// <summary>
    /// Replaces both lists (one left out is emptied). A body naming neither is refused, as an empty body is far more likely a
    /// client's mistake than a wish to forget what someone speaks; send <c>[]</c> to clear on purpose.
    /// </summary>
    private static async Task<IResult> Put(
        string id, [FromBody] JsonElement? body, HttpContext http, ReferenceCommands commands, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var personId) || await queries.Person(personId, ct) is null)
        {
            return Problems.NotFound("person");
        }

        var errors = new FieldErrors();
        var input = Input(body, errors);
        if (input is null || !ReferencePatch.TryReadIfMatch(http, "person", errors, out var ifMatch))
        {
            return errors.ToProblem();
        }

        var outcome = await commands.SetLanguages(personId, input.Languages, input.Interprets, ifMatch, ct);
        if (!outcome.Succeeded)
        {
            return outcome.Failure!.ToProblem();
        }

        var person = await queries.Person(personId, ct);
        http.Response.Headers.ETag = $"\"{person!.Version}\"";
        return TypedResults.Ok(person);
    }

    private static LanguagesInput? Input(JsonElement? body, FieldErrors errors)
    {
        if (body is not { ValueKind: JsonValueKind.Object } json || !json.EnumerateObject().Any(p => Fields.Contains(p.Name, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add("body", "A JSON object {languages: [\"en\"], interprets: [\"en-zh\"]} naming at least one of the two is required: "
                + "a PUT replaces both, so a list left out is emptied (send [] to clear one on purpose).");
            return null;
        }

        List<string>? Strings(string name)
        {
            if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
            {
                errors.Add(name, $"'{name}' must be an array of strings.");
                return null;
            }

            return [.. value.EnumerateArray().Select(v => v.GetString()!)];
        }

        var input = new LanguagesInput(Strings("languages"), Strings("interprets"));
        return errors.Any ? null : input;
    }
}
