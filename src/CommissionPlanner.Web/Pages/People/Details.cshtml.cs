using CommissionPlanner.Data;
using CommissionPlanner.Domain.Planning;
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
public sealed class PersonModel(PlanningQueries queries, EngagementCommands commands, LogisticsCommands logistics, ReferenceCommands references) : PlannerPageModel
{
    /// <summary>The person's needs as the form shows them (admin and organiser callers only; null for anyone else).</summary>
    public LogisticsInput? Needs { get; private set; }

    /// <summary>The version of the needs the form was filled from (0 while nothing is recorded), sent back as the expected version.</summary>
    public int NeedsVersion { get; private set; }

    internal FormErrors NeedsErrors { get; } = new();

    public ItineraryResource Itinerary { get; private set; } = null!;

    public IReadOnlyList<FeedResource> Feeds { get; private set; } = [];

    public FeedResource? NewFeed { get; private set; }

    public HashSet<Guid> Clashing { get; } = [];

    public string? HomeZone { get; private set; }

    public bool MayManage { get; private set; }

    internal FormErrors LanguagesErrors { get; } = new();

    /// <summary>What was typed into the languages form, shown again when it was refused.</summary>
    public (string? Languages, string? Interprets)? TypedLanguages { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await Load(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostCreateFeedAsync(Guid id, string? detail, string? language, CancellationToken ct) =>
        FeedAction(id, (db, clock, options) =>
            FeedsApi.Create(FeedScopes.Person, id.ToString(), new CreateFeedInput(detail, language), HttpContext, User, db, clock, options, ct), ct);

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

    /// <summary>
    /// Records the person's needs through <see cref="LogisticsCommands.Set"/>, the command behind <c>PUT /api/people/{id}/logistics</c>,
    /// always with the version the form showed (If-Match): when someone else saved first nothing is saved, the form keeps what
    /// was typed and takes the current version, so saving again applies it knowingly.
    /// </summary>
    public async Task<IActionResult> OnPostNeedsAsync(
        Guid id, string? dietary, string? accessibility, string? interpreterLanguage, string? nationality, string? securityClearance, int? version,
        CancellationToken ct)
    {
        if (!User.IsPlanner())
        {
            return ForbiddenPage();
        }

        var typed = new LogisticsInput(EditForms.Blank(dietary), EditForms.Blank(accessibility), EditForms.Blank(interpreterLanguage),
            EditForms.Blank(nationality), EditForms.Blank(securityClearance));
        Outcome<Saved> outcome = version is null ? EditForms.MissingVersion() : await logistics.Set(id, typed, version, User, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/people/{id}?notice=saved#needs");
        }

        if (outcome.Failure!.Kind == FailureKind.NotFound || !await Load(id, ct))
        {
            return NotFound();
        }

        Response.StatusCode = EditForms.StatusOf(outcome.Failure);
        EditForms.Show(outcome.Failure, NeedsErrors);
        Problem = outcome.Failure.IsStale
            ? L["Someone else changed these needs since you opened the page; nothing was saved. Their values are listed here; your entries are kept below: save again to apply them over theirs. Saved now: dietary '{0}', accessibility '{1}', interpreter '{2}', nationality '{3}', clearance '{4}'.",
                Needs?.Dietary ?? "", Needs?.Accessibility ?? "", Needs?.InterpreterLanguage ?? "", Needs?.Nationality ?? "", Needs?.SecurityClearance ?? ""].Value
            : outcome.Failure.Message;
        Needs = typed;
        return Page();
    }

    /// <summary>
    /// Staff set the languages a person works in (codes, separated by commas or spaces) and, for an interpreter, the pairs
    /// they cover, through <see cref="ReferenceCommands.SetLanguages"/> with the version the page showed.
    /// </summary>
    public async Task<IActionResult> OnPostLanguagesAsync(Guid id, string? languages, string? interprets, int? version, CancellationToken ct)
    {
        if (!User.IsPlanner())
        {
            return ForbiddenPage();
        }

        Outcome<Saved> outcome = version is null
            ? EditForms.MissingVersion()
            : await references.SetLanguages(id, Codes(languages), Codes(interprets), version, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/people/{id}?notice=saved#languages");
        }

        if (outcome.Failure!.Kind == FailureKind.NotFound || !await Load(id, ct))
        {
            return NotFound();
        }

        Response.StatusCode = EditForms.StatusOf(outcome.Failure);
        // The command names each entry ("languages[2]"); the form has one field for each list.
        var byField = outcome.Failure.Errors.GroupBy(e => e.Key.Split('[')[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).ToArray(), StringComparer.Ordinal);
        LanguagesErrors.AddAll(byField);
        LanguagesErrors.Summary = byField.Count == 0 ? outcome.Failure.Message : null;
        TypedLanguages = (languages, interprets);
        return Page();
    }

    private static string[] Codes(string? text) =>
        (text ?? "").Split([',', ';', ' ', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

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
        if (User.IsPlanner())
        {
            var db = HttpContext.RequestServices.GetRequiredService<IDbContextFactory<PlannerDbContext>>();
            await using var context = await db.CreateDbContextAsync(ct);
            var record = await context.PersonLogistics.AsNoTracking().SingleOrDefaultAsync(l => l.PersonId == id, ct);
            Needs = new LogisticsInput(record?.Dietary, record?.Accessibility, record?.InterpreterLanguage, record?.Nationality, record?.SecurityClearance);
            NeedsVersion = record?.Version ?? 0;
        }

        if (MayManage)
        {
            var dbFactory = HttpContext.RequestServices.GetRequiredService<IDbContextFactory<PlannerDbContext>>();
            var feeds = FeedOutcome.From(await FeedsApi.List(id.ToString(), limit: null, cursor: null, HttpContext, dbFactory, ct)).Value as IEnumerable<FeedResource>;
            Feeds = [.. (feeds ?? []).Where(f => f.Scope == FeedScopes.Person).OrderByDescending(f => f.CreatedAt, StringComparer.Ordinal)];
        }

        return true;
    }
}
