using System.Security.Claims;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;

namespace CommissionPlanner.Web.Endpoints;

public sealed record ReviewInput(string? Decision, string? Note);

/// <summary>Research-security review: a reviewer approves or rejects an engagement that needs it.</summary>
public static class ReviewApi
{
    public static RouteGroupBuilder MapReviewApi(this RouteGroupBuilder api)
    {
        api.MapPost("/engagements/{id}/review", Review).RequireAuthorization(Policies.Review).WithTags("Engagements").WithName("ReviewEngagement")
            .WithSummary("Record a research-security decision (approved or rejected) with a note.");
        return api;
    }

    internal static async Task<IResult> Review(string id, ReviewInput? body, ClaimsPrincipal user, IGrainFactory grains, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var engagementId) || await queries.EngagementRecord(engagementId, ct) is null)
        {
            return Problems.NotFound("engagement");
        }

        var errors = new FieldErrors();
        ReviewStatus? decision = body?.Decision switch
        {
            "approved" => ReviewStatus.Approved,
            "rejected" => ReviewStatus.Rejected,
            _ => null,
        };
        if (decision is null)
        {
            errors.Add("decision", "'decision' must be approved or rejected.");
        }

        var note = errors.Required("note", body?.Note, 2000);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var result = await grains.GetGrain<IEngagementGrain>(engagementId).Review(decision!.Value, note!, user.Actor());
        return result.Succeeded ? TypedResults.Ok(await queries.Engagement(engagementId, ct)) : result.ToProblem("engagement");
    }
}
