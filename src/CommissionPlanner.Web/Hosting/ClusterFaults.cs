using Orleans.Runtime;

namespace CommissionPlanner.Web.Hosting;

/// <summary>
/// Failures of the cluster rather than of the request: a silo died (or is stopping) and its peers have not yet
/// declared it dead, so a grain call to it is refused or lost. The caller should retry; by then the grain has
/// reactivated on a live silo (docs/operations.md). Answered as 503 with Retry-After, like an unreachable database.
/// </summary>
internal static class ClusterFaults
{
    public const string Title = "A server of the planner's cluster is unavailable.";

    public const string Detail =
        "One of the planner's servers stopped answering while handling this request. Try again shortly; " +
        "if this was a change, check whether it was made before repeating it.";

    public static bool IsClusterUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            // Rejected: the message could not be delivered (connection refused, silo shutting down, no silo for the grain).
            // Unavailable: the target silo was declared dead while the call was in flight.
            if (e is OrleansMessageRejectionException or SiloUnavailableException or Orleans.Runtime.Messaging.ConnectionFailedException)
            {
                return true;
            }
        }

        return false;
    }
}
