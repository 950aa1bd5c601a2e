using CommissionPlanner.Data.Entities;

namespace CommissionPlanner.Grains;

/// <summary>
/// Carries who is making a change from the HTTP request into grains through Orleans' RequestContext (which
/// flows with every grain call, also to other silos), so grains can audit without an extra parameter on
/// every command.
/// </summary>
public static class CallerContext
{
    private const string ActorKey = "planner.actor";
    private const string KeyIdKey = "planner.key-id";
    private const string ClientKey = "planner.client";
    private const string ClaimKey = "planner.request-claim";

    public static void Set(ChangeActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        RequestContext.Set(ActorKey, actor.Name);
        if (actor.KeyId is { } keyId)
        {
            RequestContext.Set(KeyIdKey, keyId);
        }

        if (actor.ClientAddress is { } client)
        {
            RequestContext.Set(ClientKey, client);
        }

        // A request sent with an Idempotency-Key: the change it makes applies this claim in its own transaction.
        if (actor.RequestClaim is { } claim)
        {
            RequestContext.Set(ClaimKey, claim);
        }
        else
        {
            RequestContext.Remove(ClaimKey);
        }
    }

    public static ChangeActor Current() =>
        RequestContext.Get(ActorKey) is string name
            ? new ChangeActor(name, RequestContext.Get(KeyIdKey) as Guid?, RequestContext.Get(ClientKey) as string, RequestContext.Get(ClaimKey) as Guid?)
            : ChangeActor.System;
}
