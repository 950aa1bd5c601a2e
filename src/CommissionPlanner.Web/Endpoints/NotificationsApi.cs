using CommissionPlanner.Data;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Notifications;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommissionPlanner.Web.Endpoints;

/// <summary>
/// One notification as staff see it. <c>status</c> is the contract's queued|sent|failed (a message composed but not yet
/// delivered is still queued; <c>composedAt</c> tells it apart). <c>engagementIds</c>: while collecting, the engagements
/// changes reached; once composed, those the message tells of.
/// </summary>
public sealed record NotificationResource(
    Guid Id, Guid PersonId, string Email, string Status, IReadOnlyList<Guid> EngagementIds, string CreatedAt,
    string? ComposedAt, string? SentAt, string? Error, string MessageId, string? Subject, int Attempts, string? NextAttemptAt,
    string? ServerResponse);

/// <summary>"Send now"'s answer: what this request sent, what failed for good, and what is still waiting.</summary>
public sealed record SendResult(int Sent, int Failed, int Queued);

/// <summary>The notifications of a programme: what will go out and what went out (docs/notifications.md).</summary>
public static class NotificationsApi
{
    private const int MaxListed = 1000;

    public static RouteGroupBuilder MapNotificationsApi(this RouteGroupBuilder api)
    {
        var programmes = api.MapGroup("/programmes").WithTags("Notifications");
        programmes.MapGet("/{id}/notifications", List).RequireAuthorization(Policies.Plan).WithName("ListNotifications")
            .WithSummary("Every notification of the programme, newest first (?status=queued|sent|failed, ?personId=).");
        programmes.MapPost("/{id}/notifications/send", Send).RequireAuthorization(Policies.Plan).WithName("SendNotifications")
            .WithSummary("Compose and send what is queued now, without waiting for the batch window.");
        return api;
    }

    private static async Task<IResult> List(
        string id, string? status, string? personId, IDbContextFactory<PlannerDbContext> dbFactory, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var programmeId))
        {
            return Problems.NotFound("programme");
        }

        var errors = new FieldErrors();
        var wanted = new List<NotificationStatus>();
        if (status is not null)
        {
            // The contract's three; "queued" includes messages composed but not yet delivered.
            switch (status)
            {
                case "queued":
                    wanted.AddRange([NotificationStatus.Queued, NotificationStatus.Ready]);
                    break;
                case "sent":
                    wanted.Add(NotificationStatus.Sent);
                    break;
                case "failed":
                    wanted.Add(NotificationStatus.Failed);
                    break;
                default:
                    errors.Add("status", "'status' must be one of queued, sent, failed.");
                    break;
            }
        }

        Guid? person = null;
        if (personId is not null)
        {
            if (Guid.TryParse(personId, out var parsed))
            {
                person = parsed;
            }
            else
            {
                errors.Add("personId", "'personId' must be a UUID.");
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Programmes.AnyAsync(p => p.Id == programmeId, ct))
        {
            return Problems.NotFound("programme");
        }

        var query = db.Notifications.AsNoTracking().Where(n => n.ProgrammeId == programmeId);
        if (wanted.Count > 0)
        {
            query = query.Where(n => wanted.Contains(n.Status));
        }

        if (person is { } who)
        {
            query = query.Where(n => n.PersonId == who);
        }

        var rows = await (
            from n in query
            join p in db.People on n.PersonId equals p.Id
            orderby n.CreatedAt descending
            select new { Notification = n, p.Email }).Take(MaxListed).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => ToResource(r.Notification, r.Email)).ToList());
    }

    private static async Task<IResult> Send(
        string id, NotificationOutbox outbox, IOptions<MailSettings> mail, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var programmeId) || !await queries.ProgrammeExists(programmeId, ct))
        {
            return Problems.NotFound("programme");
        }

        if (!mail.Value.CanSend)
        {
            return Problems.Conflict(
                "No mail server is configured (Planner:Mail:SmtpHost and Planner:Mail:From), or Planner:Mail:Enabled is false: nothing can be sent. Queued notifications wait.");
        }

        await outbox.ComposeDueAsync(programmeId, now: true, ct);
        var delivered = await outbox.DeliverDueAsync(programmeId, ct);
        return TypedResults.Ok(new SendResult(delivered.Sent, delivered.Failed, await outbox.PendingAsync(programmeId, ct)));
    }

    private static NotificationResource ToResource(Data.Entities.NotificationRecord n, string email) => new(
        n.Id,
        n.PersonId,
        n.Email ?? email,
        n.Status switch
        {
            NotificationStatus.Sent => "sent",
            NotificationStatus.Failed => "failed",
            _ => "queued",
        },
        n.EngagementIds,
        WireTime.FormatInstant(n.CreatedAt),
        n.ComposedAt is { } composed ? WireTime.FormatInstant(composed) : null,
        n.SentAt is { } sent ? WireTime.FormatInstant(sent) : null,
        n.Error,
        n.MessageId ?? NotificationMail.MessageIdOf(n.Id),
        n.Subject,
        n.Attempts,
        n.NextAttemptAt is { } next && n.Status == NotificationStatus.Ready ? WireTime.FormatInstant(next) : null,
        n.ServerResponse);
}
