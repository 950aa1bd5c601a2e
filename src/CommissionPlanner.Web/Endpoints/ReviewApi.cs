using System.Security.Claims;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;

namespace CommissionPlanner.Web.Endpoints;

/// <summary>Research-security review: a reviewer approves or rejects an engagement that needs it.</summary>
public static class ReviewApi
{
    public static RouteGroupBuilder MapReviewApi(this RouteGroupBuilder api)
    {
        api.MapPost("/engagements/{id}/review", Review).RequireAuthorization(Policies.Review).WithTags("Engagements").WithName("ReviewEngagement")
            .WithSummary("Record a research-security decision (approved or rejected) with a note.");
        return api;
    }

    private static async Task<IResult> Review(
        string id, ReviewInput? body, ClaimsPrincipal user, EngagementCommands commands, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var engagementId))
        {
            return Problems.NotFound("engagement");
        }

        var outcome = await commands.Review(engagementId, body, user, ct);
        return outcome.Succeeded ? TypedResults.Ok(user.Engagement((await queries.Engagement(engagementId, ct))!)) : outcome.Failure!.ToProblem();
    }
}
