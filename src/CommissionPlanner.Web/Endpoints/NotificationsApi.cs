using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Notifications;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;

namespace CommissionPlanner.Web.Endpoints;

/// <summary>The notifications of a programme: what will go out and what went out (docs/notifications.md).</summary>
public static class NotificationsApi
{
    public static RouteGroupBuilder MapNotificationsApi(this RouteGroupBuilder api)
    {
        var programmes = api.MapGroup("/programmes").WithTags("Notifications");
        programmes.MapGet("/{id}/notifications", List).RequireAuthorization(Policies.Plan).WithName("ListNotifications")
            .WithSummary("The programme's newest 1000 notifications, newest first (?status=queued|sent|failed, ?personId=); " +
                "limit (1-1000) and cursor page back through all of them: a Link header with rel=\"next\" names the next page while there is one.");
        programmes.MapPost("/{id}/notifications/send", Send).RequireAuthorization(Policies.Plan).WithName("SendNotifications")
            .WithSummary("Compose and send what is queued now, without waiting for the batch window.");
        return api;
    }

    private static async Task<IResult> List(
        string id, string? status, string? personId, int? limit, string? cursor, HttpContext http, NotificationQueries notifications,
        PlanningQueries queries, CancellationToken ct)
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

        var page = Lists.Paging.ParseKeyset<Lists.CreatedKey>(limit, cursor, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!await queries.ProgrammeExists(programmeId, ct))
        {
            return Problems.NotFound("programme");
        }

        return TypedResults.Ok(Lists.Paging.Answer(http, await notifications.ListAsync(programmeId, wanted, person, page, ct)));
    }

    private static async Task<IResult> Send(
        string id, NotificationOutbox outbox, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var programmeId) || !await queries.ProgrammeExists(programmeId, ct))
        {
            return Problems.NotFound("programme");
        }

        return await outbox.SendNowAsync(programmeId, ct) is { } result
            ? TypedResults.Ok(result)
            : Problems.Conflict(NotificationOutbox.CannotSend);
    }
}
