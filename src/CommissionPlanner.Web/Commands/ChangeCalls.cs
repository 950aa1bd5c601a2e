using CommissionPlanner.Grains;
using CommissionPlanner.Web.Operations;

namespace CommissionPlanner.Web.Commands;

/// <summary>The grain call that makes a command's change: made once, even when the request is sent again.</summary>
internal static class ChangeCalls
{
    /// <summary>
    /// Calls <paramref name="change"/>; or, when this request's change was applied already and only its answer was lost
    /// (<see cref="IdempotentAttempt.AlreadyApplied"/>), answers what the grain answered then: <paramref name="status"/> for
    /// the entity it applied to. The endpoint then reads that entity as after any change.
    /// </summary>
    public static Task<CommandResult> Once(Func<Task<CommandResult>> change, CommandStatus status)
    {
        ArgumentNullException.ThrowIfNull(change);
        return IdempotentAttempt.AlreadyApplied is { } applied ? Task.FromResult(new CommandResult(status, applied)) : change();
    }
}
