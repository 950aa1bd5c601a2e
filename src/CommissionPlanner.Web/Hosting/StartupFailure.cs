using Microsoft.Extensions.Options;

namespace CommissionPlanner.Web.Hosting;

/// <summary>
/// Which failures while the host is built and started are a setting's fault, and the one line that says so: a planner
/// that cannot work with its configuration stops with that line (Program.cs), not with a stack trace.
/// </summary>
internal static class StartupFailure
{
    /// <summary>The sentence for a configuration failure; null for anything else (which then surfaces as it is).</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        StartupException startup => startup.Message,
        // ValidateOnStart: every failure of every options class, each of which names its setting.
        OptionsValidationException validation => string.Join(" ", validation.Failures),
        AggregateException aggregate when aggregate.Flatten().InnerExceptions is { Count: > 0 } inner && inner.All(e => Describe(e) is not null) =>
            string.Join(" ", inner.Select(e => Describe(e))),
        // The configuration binder: "Failed to convert configuration value 'x' at 'Planner:…' to type 'System.Int32'."
        InvalidOperationException { InnerException: FormatException or ArgumentException or OverflowException } binding => binding.Message,
        _ => null,
    };
}
