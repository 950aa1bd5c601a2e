namespace CommissionPlanner.Web.Commands;

// Bodies as they arrive, every field nullable so that a missing or wrong value becomes a field error naming it.
// The endpoints bind them from JSON; the pages build them from their forms.

public sealed record AttendeeInput(string? PersonId, string? Role);

public sealed record ResponseInput(string? Response);

public sealed record CancelInput(string? Reason);

public sealed record ReviewInput(string? Decision, string? Note);
