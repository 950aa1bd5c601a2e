using NodaTime;

namespace CommissionPlanner.Web.Lists;

// The sort keys of the paged lists, one record per order: a cursor is one of these (Paging.EncodeCursor), and each list's
// query reads the rows after it with a row comparison on the same columns, served by an index on them (docs/security.md,
// "Paging"). Every key ends in the id, so the order is total and a page never repeats or skips a row of equal sort values.

/// <summary><c>GET /api/programmes</c>: start date, name.</summary>
public sealed record ProgrammeKey(LocalDate StartDate, string Name, Guid Id);

/// <summary><c>GET /api/venues</c>: city, name.</summary>
public sealed record VenueKey(string City, string Name, Guid Id);

/// <summary><c>GET /api/programmes/{id}/engagements</c>: start, end (UTC).</summary>
public sealed record EngagementKey(Instant StartUtc, Instant EndUtc, Guid Id);

/// <summary>Lists in creation order (delegations, feeds, API keys) or newest first (notifications).</summary>
public sealed record CreatedKey(Instant CreatedAt, Guid Id);

/// <summary><c>GET /api/programmes/{id}/stays</c>: check-in date.</summary>
public sealed record StayKey(LocalDate CheckIn, Guid Id);

/// <summary><c>GET /api/programmes/{id}/vehicles</c>: label.</summary>
public sealed record VehicleKey(string Label, Guid Id);

/// <summary>
/// <c>GET /api/engagements/{id}/attendees</c>: list order (<c>AttendanceLists.InListOrder</c>): the delegation's creation
/// time and id, then protocol order and the person's id.
/// </summary>
public sealed record AttendeeKey(Instant DelegationCreatedAt, Guid DelegationId, int ProtocolOrder, Guid PersonId);

/// <summary><c>GET /api/engagements/{id}/promotions</c>: the order they happened in (their id).</summary>
public sealed record PromotionKey(long Id);
