using System.Security.Claims;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Operations;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using NodaTime;

namespace CommissionPlanner.Web.Commands;

/// <summary>
/// The changes to engagements and their attendee lists, for the API and the pages alike: input checked by the domain's
/// specs (<see cref="EngagementSpecs"/>), one grain call, and its answer as an <see cref="Outcome{T}"/>.
/// </summary>
public sealed class EngagementCommands(IGrainFactory grains, PlanningQueries queries, IDateTimeZoneProvider zones)
{
    /// <summary>How often a change without an expected version is laid again over a resource that changed meanwhile.</summary>
    internal const int MergeRetries = 3;

    public async Task<Outcome<Saved>> Create(Guid programmeId, EngagementInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!await queries.ProgrammeExists(programmeId, ct))
        {
            return Failure.NotFound("programme");
        }

        var errors = new FieldErrors();
        var plan = await Plan(input, errors, ct);
        if (plan is null)
        {
            return Failure.Invalid(errors);
        }

        var engagementId = Guid.CreateVersion7();
        var result = await ChangeCalls.Once(() => grains.GetGrain<IEngagementGrain>(engagementId).Create(programmeId, plan), CommandStatus.Created);
        return result.Succeeded ? Outcome.Success(Saved.From(result, engagementId)) : Failure.From(result, "programme");
    }

    /// <summary>
    /// Lays <paramref name="change"/> over the engagement's current input (the input that would create it) and checks the
    /// result by the same rules as a create. With <paramref name="expectedVersion"/> a change made meanwhile is a conflict
    /// naming the current version (If-Match; every page form sends one). Without it the change is laid again over the
    /// newer engagement, so fields the caller did not name are never reverted.
    /// </summary>
    public async Task<Outcome<Saved>> Update(
        Guid engagementId, Func<EngagementInput, FieldErrors, EngagementInput> change, int? expectedVersion, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; ; attempt++)
        {
            var record = await queries.EngagementRecord(engagementId, ct);
            if (record is null)
            {
                return Failure.NotFound("engagement");
            }

            var errors = new FieldErrors();
            var venues = await queries.VenueRefs([record.FromVenueId], ct);
            var merged = change(EngagementPatch.CurrentInput(record, venues[record.FromVenueId]), errors);
            var plan = errors.Any ? null : await Plan(merged, errors, ct);
            if (plan is null)
            {
                return Failure.Invalid(errors);
            }

            var result = await grains.GetGrain<IEngagementGrain>(engagementId).Update(plan, expectedVersion ?? record.Version, expectedVersion is not null);
            if (result.Succeeded)
            {
                return Outcome.Success(Saved.From(result, engagementId));
            }

            var failure = Failure.From(result, "engagement");
            if (!(failure.IsStale && expectedVersion is null && attempt < MergeRetries))
            {
                return failure;
            }
        }
    }

    public async Task<Outcome<Saved>> Confirm(Guid engagementId)
    {
        var result = await ChangeCalls.Once(() => grains.GetGrain<IEngagementGrain>(engagementId).Confirm(), CommandStatus.Ok);
        return result.Succeeded ? Outcome.Success(Saved.From(result, engagementId)) : Failure.From(result, "engagement");
    }

    public async Task<Outcome<Saved>> Cancel(Guid engagementId, CancelInput? input, CancellationToken ct)
    {
        if (await queries.EngagementRecord(engagementId, ct) is null)
        {
            return Failure.NotFound("engagement");
        }

        var errors = new FieldErrors();
        var reason = errors.Required("reason", input?.Reason, PlanningLimits.Reason);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var result = await ChangeCalls.Once(() => grains.GetGrain<IEngagementGrain>(engagementId).Cancel(reason!), CommandStatus.Ok);
        return result.Succeeded ? Outcome.Success(Saved.From(result, engagementId)) : Failure.From(result, "engagement");
    }

    /// <summary>
    /// Invites a person. The engagement grain answers "not found" for an engagement that does not exist (no separate
    /// check: adds are the hottest write, docs/performance.md), and answers with the attendee as written.
    /// </summary>
    public async Task<Outcome<AddedAttendee>> AddAttendee(Guid engagementId, AttendeeInput? input)
    {
        var errors = new FieldErrors();
        if (!Guid.TryParse(input?.PersonId, out var personId))
        {
            errors.Add("personId", "'personId' is required: the id of a person in this programme.");
        }

        var role = errors.Choice<AttendeeRole>("role", input?.Role ?? AttendeeRoles.ToWire(AttendeeRole.Required),
            AttendeeRoles.TryParse, AttendeeRoles.WireNames);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        if (IdempotentAttempt.AlreadyApplied is not null)
        {
            // Added by this request already, its answer lost: the attendee as they are now.
            return await queries.Attendee(engagementId, personId, CancellationToken.None) is { } current
                ? Outcome.Success(new AddedAttendee(current.PersonId, current.FullName, current.LocalName, current.DelegationId, current.Organisation,
                    current.Title, current.Role, current.Response, current.Attendance, current.WaitingPosition))
                : Failure.NotFound("attendee");
        }

        var addition = await grains.GetGrain<IEngagementGrain>(engagementId).AddAttendee(personId, role!.Value);
        return addition is { Result.Succeeded: true, Attendee: { } added } ? Outcome.Success(added) : Failure.From(addition.Result, "engagement");
    }

    /// <summary>Records a reply: organisers for anyone, a delegate only for themself (anyone else is "not found" to them).</summary>
    public async Task<Outcome<Saved>> SetResponse(Guid engagementId, Guid personId, ResponseInput? input, ClaimsPrincipal caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.MaySeePerson(personId))
        {
            return Failure.NotFound("attendee");
        }

        if (!caller.IsInRole(Roles.Admin) && !caller.IsInRole(Roles.Organiser) && caller.DelegatePersonId() != personId)
        {
            return Failure.Forbidden("Only organisers, or the delegate themself, may record a reply.");
        }

        var errors = new FieldErrors();
        var response = errors.Choice<Response>("response", input?.Response, Responses.TryParse, Responses.WireNames);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var result = await grains.GetGrain<IEngagementGrain>(engagementId).SetResponse(personId, response!.Value);
        return result.Succeeded ? Outcome.Success(Saved.From(result, engagementId)) : Failure.From(result, "attendee");
    }

    public async Task<Outcome<Saved>> RemoveAttendee(Guid engagementId, Guid personId)
    {
        var result = await grains.GetGrain<IEngagementGrain>(engagementId).RemoveAttendee(personId);
        return result.Succeeded ? Outcome.Success(Saved.From(result, engagementId)) : Failure.From(result, "attendee");
    }

    /// <summary>A research-security reviewer's decision; the reviewer recorded is the caller.</summary>
    public async Task<Outcome<Saved>> Review(Guid engagementId, ReviewInput? input, ClaimsPrincipal caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await queries.EngagementRecord(engagementId, ct) is null)
        {
            return Failure.NotFound("engagement");
        }

        var errors = new FieldErrors();
        ReviewStatus? decision = ReviewStatuses.TryParse(input?.Decision, out var parsed) && parsed is ReviewStatus.Approved or ReviewStatus.Rejected
            ? parsed
            : null;
        if (decision is null)
        {
            errors.Add("decision", "'decision' must be approved or rejected.");
        }

        var note = errors.Required("note", input?.Note, 2000);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var result = await ChangeCalls.Once(() => grains.GetGrain<IEngagementGrain>(engagementId).Review(decision!.Value, note!, caller.Actor()), CommandStatus.Ok);
        return result.Succeeded ? Outcome.Success(Saved.From(result, engagementId)) : Failure.From(result, "engagement");
    }

    /// <summary>
    /// Validates an engagement input, looking up the venues it names. A vehicle id is known when it is a UUID: the
    /// vehicle's grain answers whether it is a vehicle of the engagement's programme, and free then.
    /// </summary>
    private async Task<EngagementPlan?> Plan(EngagementInput input, FieldErrors errors, CancellationToken ct)
    {
        var ids = new[] { input.VenueId, input.FromVenueId, input.ToVenueId }
            .Select(v => Guid.TryParse(v, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty);
        var venues = await queries.VenueRefs(ids, ct);
        return EngagementSpecs.Validate(input, reference =>
            Guid.TryParse(reference, out var g) && venues.TryGetValue(g, out var venue) ? venue : null, zones, errors,
            reference => Guid.TryParse(reference, out var vehicle) ? new VehicleRef(vehicle) : null);
    }
}
