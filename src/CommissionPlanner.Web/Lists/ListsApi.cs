using System.Globalization;
using System.Security.Claims;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommissionPlanner.Web.Lists;

/// <summary>
/// Organisers' lists, each as JSON or as CSV (<c>Accept: text/csv</c> or <c>?format=csv</c>): an engagement's attendees,
/// a delegation's people × engagements matrix, a programme's attendance summary and a host site's access list.
/// Sensitive logistics (and the dietary counts derived from them) are for admin and organiser keys only.
/// </summary>
public static class ListsApi
{
    public const string IncludeLogistics = "logistics";

    public static IServiceCollection AddLists(this IServiceCollection services)
    {
        services.TryAddSingleton<ListQueries>();
        return services;
    }

    public static RouteGroupBuilder MapListsApi(this RouteGroupBuilder api)
    {
        var lists = api.MapGroup(string.Empty).WithTags("Lists");
        lists.MapGet("/delegations/{id}/matrix", Matrix).RequireAuthorization(Policies.ReadProgramme).WithName("DelegationMatrix")
            .WithSummary("The delegation's people (protocol order) × the programme's engagements (time order): each cell the reply and place, or null when not invited. CSV with Accept: text/csv or ?format=csv.")
            .Produces<DelegationMatrix>().ProducesProblem(StatusCodes.Status404NotFound);
        lists.MapGet("/programmes/{id}/attendance-summary", Summary).RequireAuthorization(Policies.ReadProgramme).WithName("AttendanceSummary")
            .WithSummary("Per engagement in time order: invited, accepted, declined, tentative, no reply, attending, waiting, capacity and places left; dietary counts for admin and organiser keys. CSV with Accept: text/csv or ?format=csv.")
            .Produces<AttendanceSummary>().ProducesProblem(StatusCodes.Status404NotFound);
        lists.MapGet("/engagements/{id}/access-list", AccessList).RequireAuthorization(Policies.Plan).WithName("AccessList")
            .WithSummary("A host site's access list: name, local name, organisation, title and nationality of the people with a place, in delegation then protocol order. 409 for a travel leg. CSV with Accept: text/csv or ?format=csv.")
            .Produces<AccessList>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    /// <summary>
    /// <c>GET /api/engagements/{id}/attendees</c>: JSON, or CSV with the delegation's name; <c>?include=logistics</c> adds
    /// dietary, accessibility, interpreter language, nationality and security clearance for admin and organiser callers (403 for others).
    /// </summary>
    public static Task<IResult> EngagementAttendees(
        string id, string? format, string? include, HttpContext http, ListQueries queries, CancellationToken ct) =>
        EngagementAttendees(id, format, include, limit: null, cursor: null, http, queries, ct);

    /// <summary>The same, a page at a time with <c>limit</c> and <c>cursor</c> (docs/security.md, "Paging"), as JSON or CSV.</summary>
    public static async Task<IResult> EngagementAttendees(
        string id, string? format, string? include, int? limit, string? cursor, HttpContext http, ListQueries queries, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(queries);
        if (!TryParseInclude(include, out var withLogistics, out var includeProblem))
        {
            return includeProblem;
        }

        if (withLogistics && !MaySeeLogistics(http.User))
        {
            return Forbidden("Only admin and organiser keys may see logistics columns; ask without include=logistics.");
        }

        var errors = new FieldErrors();
        var page = Paging.ParseKeyset<AttendeeKey>(limit, cursor, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!Problems.TryParseId(id, out var engagementId) || await queries.EngagementAttendees(engagementId, withLogistics, page, ct) is not { } paged)
        {
            return Problems.NotFound("engagement");
        }

        var attendees = Paging.Answer(http, paged);

        if (!WantsCsv(format, http))
        {
            return TypedResults.Ok(attendees);
        }

        string[] header = ["person_id", "full_name", "local_name", "organisation", "title", "delegation_id", "delegation", "role", "response", "attendance", "waiting_position"];
        string[] logisticsHeader = ["dietary", "accessibility", "interpreter_language", "nationality", "security_clearance"];
        var csv = CsvWriter.Write(
            withLogistics ? [.. header, .. logisticsHeader] : header,
            attendees.Select(a =>
            {
                string?[] cells =
                [
                    a.PersonId.ToString(), a.FullName, a.LocalName, a.Organisation, a.Title, a.DelegationId.ToString(), a.DelegationName, a.Role,
                    a.Response, a.Attendance, Number(a.WaitingPosition),
                ];
                return withLogistics && a.Logistics is { } l
                    ? [.. cells, l.Dietary, l.Accessibility, l.InterpreterLanguage, l.Nationality, l.SecurityClearance]
                    : cells;
            }));
        return TypedResults.File(csv, CsvWriter.ContentType, $"attendees-{engagementId}.csv");
    }

    internal static async Task<IResult> Matrix(string id, string? format, HttpContext http, ListQueries queries, CancellationToken ct)
    {
        if (!Problems.TryParseId(id, out var delegationId) || await queries.Matrix(delegationId, ct) is not { } matrix)
        {
            return Problems.NotFound("delegation");
        }

        if (!WantsCsv(format, http))
        {
            return TypedResults.Ok(matrix);
        }

        var csv = CsvWriter.Write(
            ["protocol_order", "full_name", "local_name", "organisation", "title", .. matrix.Engagements.Select(e => $"{e.Title} ({e.Start.Replace('T', ' ')} {e.TimeZone})")],
            matrix.People.Select(p => (IReadOnlyList<string?>)
            [
                p.ProtocolOrder.ToString(CultureInfo.InvariantCulture), p.FullName, p.LocalName, p.Organisation, p.Title,
                .. p.Cells.Select(CellText),
            ]));
        return TypedResults.File(csv, CsvWriter.ContentType, $"matrix-{delegationId}.csv");
    }

    private static async Task<IResult> Summary(string id, string? format, HttpContext http, ListQueries queries, CancellationToken ct)
    {
        var withDietary = MaySeeLogistics(http.User);
        if (!Problems.TryParseId(id, out var programmeId) || await queries.Summary(programmeId, withDietary, ct) is not { } summary)
        {
            return Problems.NotFound("programme");
        }

        if (!WantsCsv(format, http))
        {
            return TypedResults.Ok(summary);
        }

        // One column per dietary requirement across the programme (compared case-insensitively), alphabetically.
        var requirements = summary.Engagements.SelectMany(e => e.Dietary ?? []).Select(d => d.Requirement)
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
        var csv = CsvWriter.Write(
            [
                "engagement_id", "title", "kind", "start", "time_zone", "status", "invited", "accepted", "declined", "tentative", "no_reply",
                "attending", "waiting", "capacity", "places_left", .. requirements.Select(r => $"dietary: {r}"),
            ],
            summary.Engagements.Select(e => (IReadOnlyList<string?>)
            [
                e.EngagementId.ToString(), e.Title, e.Kind, e.Start, e.TimeZone, e.Status, Number(e.Invited), Number(e.Accepted), Number(e.Declined),
                Number(e.Tentative), Number(e.NoReply), Number(e.Attending), Number(e.Waiting), Number(e.Capacity), Number(e.PlacesLeft),
                .. requirements.Select(r => Number(e.Dietary?.FirstOrDefault(d => string.Equals(d.Requirement, r, StringComparison.OrdinalIgnoreCase))?.Count ?? 0)),
            ]));
        return TypedResults.File(csv, CsvWriter.ContentType, $"attendance-summary-{programmeId}.csv");
    }

    private static async Task<IResult> AccessList(string id, string? format, HttpContext http, ListQueries queries, CancellationToken ct)
    {
        if (!Problems.TryParseId(id, out var engagementId) || await queries.AccessList(engagementId, ct) is not { Found: true } result)
        {
            return Problems.NotFound("engagement");
        }

        if (result.IsTravel || result.List is not { } list)
        {
            return Problems.Conflict("A travel leg has no host site, so it has no access list. Ask for the visit's access list instead.");
        }

        if (!WantsCsv(format, http))
        {
            return TypedResults.Ok(list);
        }

        var csv = CsvWriter.Write(
            ["full_name", "local_name", "organisation", "title", "nationality"],
            list.People.Select(p => new[] { p.FullName, p.LocalName, p.Organisation, p.Title, p.Nationality }));
        return TypedResults.File(csv, CsvWriter.ContentType, $"access-list-{engagementId}.csv");
    }

    /// <summary>Logistics, and anything derived from them, are for admin and organiser keys only.</summary>
    private static bool MaySeeLogistics(ClaimsPrincipal user) => user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Organiser);

    internal static bool WantsCsv(string? format, HttpContext http) =>
        string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
        || http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));

    /// <summary><c>include</c> is a comma-separated list; <c>logistics</c> is the only value so far.</summary>
    private static bool TryParseInclude(string? include, out bool logistics, out IResult problem)
    {
        logistics = false;
        problem = TypedResults.Ok();
        foreach (var part in (include ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!string.Equals(part, IncludeLogistics, StringComparison.OrdinalIgnoreCase))
            {
                problem = Problems.BadRequest("include", $"'include' may only be '{IncludeLogistics}'.");
                return false;
            }

            logistics = true;
        }

        return true;
    }

    private static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    private static string CellText(MatrixCell? cell) => cell is null
        ? string.Empty
        : cell.WaitingPosition is { } position
            ? $"{cell.Response} / {cell.Attendance} {position.ToString(CultureInfo.InvariantCulture)}"
            : $"{cell.Response} / {cell.Attendance}";

    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);
}
