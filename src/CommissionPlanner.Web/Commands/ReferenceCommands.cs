using CommissionPlanner.Domain.Languages;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Planning;
using NodaTime;

namespace CommissionPlanner.Web.Commands;

/// <summary>
/// Creating and changing programmes, venues, delegations and their members, for the API and the pages alike: input checked
/// by <see cref="ReferenceSpecs"/>, one grain call, its answer as an <see cref="Outcome{T}"/>. A change is a function laid
/// over the resource's current values as the input that would create it (a merge-patch for the API, the form for a page).
/// </summary>
public sealed class ReferenceCommands(IGrainFactory grains, PlanningQueries queries, IDateTimeZoneProvider zones)
{
    public async Task<Outcome<Saved>> CreateProgramme(ProgrammeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new FieldErrors();
        if (ReferenceSpecs.Validate(input, zones, errors) is not { } spec)
        {
            return Failure.Invalid(errors);
        }

        var id = Guid.CreateVersion7();
        var result = await ChangeCalls.Once(() => grains.GetGrain<IProgrammeGrain>(id).Create(spec), CommandStatus.Created);
        return result.Succeeded ? Outcome.Success(Saved.From(result, id)) : Failure.From(result, "programme");
    }

    public async Task<Outcome<Saved>> CreateVenue(VenueInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new FieldErrors();
        if (ReferenceSpecs.Validate(input, zones, errors) is not { } spec)
        {
            return Failure.Invalid(errors);
        }

        var id = Guid.CreateVersion7();
        var result = await ChangeCalls.Once(() => grains.GetGrain<IVenueGrain>(id).Create(spec), CommandStatus.Created);
        return result.Succeeded ? Outcome.Success(Saved.From(result, id)) : Failure.From(result, "venue");
    }

    public async Task<Outcome<Saved>> CreateDelegation(Guid programmeId, DelegationInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!await queries.ProgrammeExists(programmeId, ct))
        {
            return Failure.NotFound("programme");
        }

        var errors = new FieldErrors();
        if (ReferenceSpecs.Validate(input, errors) is not { } spec)
        {
            return Failure.Invalid(errors);
        }

        var delegationId = Guid.CreateVersion7();
        var result = await ChangeCalls.Once(() => grains.GetGrain<IDelegationGrain>(delegationId).Create(programmeId, spec), CommandStatus.Created);
        return result.Succeeded ? Outcome.Success(Saved.From(result, delegationId)) : Failure.From(result, "programme");
    }

    public async Task<Outcome<Saved>> AddMember(Guid delegationId, MemberInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await queries.Delegation(delegationId, ct) is null)
        {
            return Failure.NotFound("delegation");
        }

        var errors = new FieldErrors();
        if (ReferenceSpecs.Validate(input, errors) is not { } spec)
        {
            return Failure.Invalid(errors);
        }

        var personId = Guid.CreateVersion7();
        var result = await ChangeCalls.Once(() => grains.GetGrain<IDelegationGrain>(delegationId).AddMember(personId, spec), CommandStatus.Created);
        return result.Succeeded ? Outcome.Success(Saved.From(result, personId)) : Failure.From(result, "delegation");
    }

    public Task<Outcome<Saved>> UpdateProgramme(
        Guid programmeId, Func<ProgrammeInput, FieldErrors, ProgrammeInput> change, int? expectedVersion, CancellationToken ct) =>
        Update("programme", programmeId, () => queries.Programme(programmeId, ct), p => p.Version, expectedVersion, (current, errors, version, fromClient) =>
            ReferenceSpecs.Validate(change(ReferencePatch.Current(current), errors), zones, errors) is { } spec && !errors.Any
                ? grains.GetGrain<IProgrammeGrain>(programmeId).Update(spec, version, fromClient)
                : null);

    public Task<Outcome<Saved>> UpdateVenue(
        Guid venueId, Func<VenueInput, FieldErrors, VenueInput> change, int? expectedVersion, CancellationToken ct) =>
        Update("venue", venueId, () => queries.Venue(venueId, ct), v => v.Version, expectedVersion, (current, errors, version, fromClient) =>
            ReferenceSpecs.Validate(change(ReferencePatch.Current(current), errors), zones, errors) is { } spec && !errors.Any
                ? grains.GetGrain<IVenueGrain>(venueId).Update(spec, version, fromClient)
                : null);

    public Task<Outcome<Saved>> UpdateDelegation(
        Guid delegationId, Func<DelegationInput, FieldErrors, DelegationInput> change, int? expectedVersion, CancellationToken ct) =>
        Update("delegation", delegationId, () => queries.Delegation(delegationId, ct), d => d.Version, expectedVersion, (current, errors, version, fromClient) =>
            ReferenceSpecs.Validate(change(ReferencePatch.Current(current), errors), errors) is { } spec && !errors.Any
                ? grains.GetGrain<IDelegationGrain>(delegationId).Update(spec, version, fromClient)
                : null);

    /// <summary>Changes a member's details and, when the change names one, their place in protocol order.</summary>
    public Task<Outcome<Saved>> UpdateMember(
        Guid personId, Func<ReferencePatch.MemberPatch, FieldErrors, ReferencePatch.MemberPatch> change, int? expectedVersion, CancellationToken ct) =>
        Update("person", personId, () => queries.Person(personId, ct), p => p.Version, expectedVersion, (current, errors, version, fromClient) =>
        {
            var merged = change(new ReferencePatch.MemberPatch(ReferencePatch.Current(current), null), errors);
            // Left out of the member's spec (which sheets and imports also fill), so that nothing but a request naming it changes it.
            bool? notify = merged.Notify == current.Notify ? null : merged.Notify;
            return ReferenceSpecs.Validate(merged.Input, errors) is { } spec && !errors.Any
                ? grains.GetGrain<IDelegationGrain>(current.DelegationId).UpdateMember(personId, spec, merged.ProtocolOrder, version, fromClient, notify)
                : null;
        });

    /// <summary>
    /// Replaces a person's working languages and interpreted pairs, for the API and the person's page alike. With
    /// <paramref name="expectedVersion"/> (If-Match, or the version a form showed) a person changed meanwhile is a conflict.
    /// </summary>
    public async Task<Outcome<Saved>> SetLanguages(Guid personId, IReadOnlyList<string>? languages, IReadOnlyList<string>? interprets, int? expectedVersion, CancellationToken ct)
    {
        if (await queries.Person(personId, ct) is not { } person)
        {
            return Failure.NotFound("person");
        }

        var errors = new FieldErrors();
        if (LanguageTags.Validate(languages, interprets, errors) is not { } spec)
        {
            return Failure.Invalid(errors);
        }

        var result = await ChangeCalls.Once(() => grains.GetGrain<IDelegationGrain>(person.DelegationId).SetLanguages(personId, spec, expectedVersion), CommandStatus.Ok);
        return result.Succeeded ? Outcome.Success(Saved.From(result, personId)) : Failure.From(result, "person");
    }

    /// <summary>
    /// The shared shape of these changes: read the resource, lay the change over it and validate (<paramref name="command"/>
    /// answers null with the errors filled in), send the grain command with the expected version. Without one the change is
    /// laid again when the resource changed meanwhile; with one, a stale version is a conflict naming the current version.
    /// </summary>
    private static async Task<Outcome<Saved>> Update<TResource>(
        string what, Guid id, Func<Task<TResource?>> read, Func<TResource, int> versionOf, int? expectedVersion,
        Func<TResource, FieldErrors, int, bool, Task<CommandResult>?> command)
        where TResource : class
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await read();
            if (current is null)
            {
                return Failure.NotFound(what);
            }

            var errors = new FieldErrors();
            var pending = command(current, errors, expectedVersion ?? versionOf(current), expectedVersion is not null);
            if (pending is null)
            {
                return Failure.Invalid(errors);
            }

            var result = await pending;
            if (result.Succeeded)
            {
                return Outcome.Success(Saved.From(result, id));
            }

            var failure = Failure.From(result, what);
            if (!(failure.IsStale && expectedVersion is null && attempt < EngagementCommands.MergeRetries))
            {
                return failure;
            }
        }
    }
}
