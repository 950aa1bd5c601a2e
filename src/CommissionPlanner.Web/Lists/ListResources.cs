using System.Text.Json.Serialization;

namespace CommissionPlanner.Web.Lists;

// The JSON of the organisers' lists (camelCase on the wire). Sensitive logistics appear only where the
// caller is admin or organiser and asked for them; otherwise those properties are left out entirely.

/// <summary>A person's recorded needs as a list column set. Admin and organiser callers only.</summary>
public sealed record AttendeeLogistics(
    string? Dietary, string? Accessibility, string? InterpreterLanguage, string? Nationality, string? SecurityClearance);

/// <summary>One row of an engagement's attendee list: the contract's attendee, the delegation's name and (on request) logistics.</summary>
public sealed record AttendeeListEntry(
    Guid PersonId,
    string FullName,
    string? LocalName,
    Guid DelegationId,
    string DelegationName,
    string Organisation,
    string Title,
    string Role,
    string Response,
    string Attendance,
    int? WaitingPosition,
    string? RespondedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AttendeeLogistics? Logistics = null);

public sealed record ListDelegation(Guid Id, Guid ProgrammeId, string Name, string Country);

/// <summary>An engagement as a list column or row heading.</summary>
public sealed record ListEngagement(Guid Id, string Title, string Kind, string Start, string TimeZone, string StartUtc, string Status);

/// <summary>One person's reply and place for one engagement of the matrix.</summary>
public sealed record MatrixCell(Guid EngagementId, string Role, string Response, string Attendance, int? WaitingPosition);

/// <summary>A delegation member's row: one cell per engagement of <see cref="DelegationMatrix.Engagements"/>, null when not invited.</summary>
public sealed record MatrixPerson(
    Guid PersonId, string FullName, string? LocalName, string Organisation, string Title, int ProtocolOrder, IReadOnlyList<MatrixCell?> Cells);

public sealed record DelegationMatrix(ListDelegation Delegation, IReadOnlyList<ListEngagement> Engagements, IReadOnlyList<MatrixPerson> People);

/// <summary>How many people with a place share one dietary requirement (trimmed, compared case-insensitively).</summary>
public sealed record DietaryCount(string Requirement, int Count);

/// <summary>
/// One engagement's head counts. <c>Attending</c> counts acceptances within capacity; <c>PlacesLeft</c> is null when
/// the capacity is unlimited. <c>Dietary</c> (admin and organiser callers only) counts the people with a place.
/// </summary>
public sealed record EngagementSummary(
    Guid EngagementId,
    string Title,
    string Kind,
    string Start,
    string TimeZone,
    string StartUtc,
    string Status,
    int Invited,
    int Accepted,
    int Declined,
    int Tentative,
    int NoReply,
    int Attending,
    int Waiting,
    int? Capacity,
    int? PlacesLeft,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<DietaryCount>? Dietary = null);

public sealed record AttendanceSummary(Guid ProgrammeId, string ProgrammeName, IReadOnlyList<EngagementSummary> Engagements);

/// <summary>Only what a host site needs about a visitor.</summary>
public sealed record AccessListPerson(string FullName, string? LocalName, string Organisation, string Title, string? Nationality);

public sealed record AccessListEngagement(
    Guid Id, string Title, string Kind, string Start, string End, string TimeZone, string Status, string Venue, string? VenueLocalName, string? Host);

public sealed record AccessList(AccessListEngagement Engagement, IReadOnlyList<AccessListPerson> People);
