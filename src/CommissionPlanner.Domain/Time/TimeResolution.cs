namespace CommissionPlanner.Domain;

/// <summary>
/// The outcome of turning a local wall-clock time into an instant: either the instant, or an error
/// sentence a user can act on. Exactly one of the two is set.
/// </summary>
public sealed record TimeResolution(Instant? Instant, string? Error)
{
    public bool Succeeded => Instant.HasValue && Error is null;

    public static TimeResolution Success(NodaTime.Instant instant) => new(instant, null);

    public static TimeResolution Failure(string error) => new(null, error);
}
