using CommissionPlanner.Data;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Feeds;
using CommissionPlanner.Web.Hosting;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CommissionPlanner.Web.Pages.People;

/// <summary>
/// A person's itinerary with warnings, and their calendar feeds: create (the URL, webcal link and QR code are shown once),
/// rotate and revoke, through the feed API's own functions (read through <see cref="FeedOutcome"/> until the feeds have
/// commands of their own); replies through <see cref="EngagementCommands.SetResponse"/>. A delegate sees only themself; anyone else's page is a 404.
/// </summary>
[PageAuthorize(Policies.AnyRole)]
public sealed class PersonModel(PlanningQueries queries, EngagementCommands commands) : PlannerPageModel
{
    public ItineraryResource Itinerary { get; private set; } = null!;

    public IReadOnlyList<FeedResource> Feeds { get; private set; } = [];

    public FeedResource? NewFeed { get; private set; }

    public HashSet<Guid> Clashing { get; } = [];

    public string? HomeZone { get; private set; }

    public bool MayManage { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await Load(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostCreateFeedAsync(Guid id, string? detail, CancellationToken ct) =>
        FeedAction(id, (db, clock, options) =>
            FeedsApi.Create(FeedScopes.Person, id.ToString(), new CreateFeedInput(detail), HttpContext, User, db, clock, options, ct), ct);

    public Task<IActionResult> OnPostRotateAsync(Guid id, Guid feedId, CancellationToken ct) =>
        FeedAction(id, (db, clock, options) => FeedsApi.Rotate(feedId.ToString(), HttpContext, User, db, clock, options, ct), ct);

    public Task<IActionResult> OnPostRevokeAsync(Guid id, Guid feedId, CancellationToken ct) =>
        FeedAction(id, (db, clock, _) => FeedsApi.Revoke(feedId.ToString(), User, HttpContext, db, clock, ct), ct);

    public async Task<IActionResult> OnPostReplyAsync(Guid id, Guid engagementId, string? response, CancellationToken ct)
    {
        if (!User.MaySeePerson(id) || !await Allowed(Policies.PlanOrSelf))
        {
            return NotFound();
        }

        var outcome = await commands.SetResponse(engagementId, id, new ResponseInput(response), User);
        if (outcome.Succeeded)
        {
            return Redirect($"/people/{id}?notice=replied");
        }

        Problem = outcome.Failure!.Message;
        Response.StatusCode = EditForms.StatusOf(outcome.Failure);
        return await Load(id, ct) ? Page() : NotFound();
    }

    private async Task<IActionResult> FeedAction(
        Guid id, Func<IDbContextFactory<PlannerDbContext>, IClock, IOptions<PlannerOptions>, Task<IResult>> action, CancellationToken ct)
    {
        if (!User.MaySeePerson(id))
        {
            return NotFound();
        }

        var services = HttpContext.RequestServices;
        var outcome = FeedOutcome.From(await action(
            services.GetRequiredService<IDbContextFactory<PlannerDbContext>>(), services.GetRequiredService<IClock>(),
            services.GetRequiredService<IOptions<PlannerOptions>>()));
        if (outcome.Status == StatusCodes.Status403Forbidden)
        {
            return ForbiddenPage();
        }

        if (outcome.Status == StatusCodes.Status204NoContent)
        {
            return Redirect($"/people/{id}?notice=revoked");
        }

        if (!await Load(id, ct))
        {
            return NotFound();
        }

        if (outcome.ValueAs<FeedResource>() is { } feed)
        {
            // Shown on this answer only: the token is not stored, so the link cannot be shown again.
            NewFeed = feed;
        }
        else
        {
            Problem = outcome.Detail;
            Response.StatusCode = outcome.Status;
        }

        return Page();
    }

    private async Task<bool> Load(Guid id, CancellationToken ct)
    {
        if (!User.MaySeePerson(id) || await queries.Itinerary(id, ct) is not { } itinerary)
        {
            return false;
        }

        Itinerary = User.Itinerary(itinerary);
        foreach (var warning in itinerary.Warnings)
        {
            Clashing.UnionWith(warning.EngagementIds);
        }

        var delegation = await queries.Delegation(itinerary.Person.DelegationId, ct);
        HomeZone = Display.HomeZone(delegation?.Country);
        MayManage = User.IsPlanner() || User.DelegatePersonId() == id;
        if (MayManage)
        {
            var dbFactory = HttpContext.RequestServices.GetRequiredService<IDbContextFactory<PlannerDbContext>>();
            var feeds = FeedOutcome.From(await FeedsApi.List(id.ToString(), dbFactory, ct)).Value as IEnumerable<FeedResource>;
            Feeds = [.. (feeds ?? []).Where(f => f.Scope == FeedScopes.Person).OrderByDescending(f => f.CreatedAt, StringComparer.Ordinal)];
        }

        return true;
    }
}
