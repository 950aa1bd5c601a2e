using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Feeds;
using CommissionPlanner.Web.Lists;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CommissionPlanner.Web.Notifications;

/// <summary>
/// One notification as staff see it. <c>status</c> is the contract's queued|sent|failed (a message composed but not yet
/// delivered is still queued; <c>composedAt</c> tells it apart). <c>engagementIds</c>: while collecting, the engagements
/// changes reached; once composed, those the message tells of.
/// </summary>
public sealed record NotificationResource(
    Guid Id, Guid PersonId, string Email, string Status, IReadOnlyList<Guid> EngagementIds, string CreatedAt,
    string? ComposedAt, string? SentAt, string? Error, string MessageId, string? Subject, int Attempts, string? NextAttemptAt,
    string? ServerResponse);

/// <summary>Someone a change may have touched who has seen nothing of it yet: no feed fetched and no mail sent since.</summary>
public sealed record UnreachedPerson(Guid PersonId, string FullName, string Email, bool Notify, Instant LastChangeAt, Instant? LastFetchedAt, Instant? LastMailAt);

/// <summary>The reads of the notifications API and page, in one place.</summary>
public sealed class NotificationQueries(IDbContextFactory<PlannerDbContext> dbFactory)
{
    public const int MaxListed = 1000;

    /// <summary>A programme's notifications, newest first; <paramref name="statuses"/> empty means all.</summary>
    public async Task<IReadOnlyList<NotificationResource>> ListAsync(
        Guid programmeId, IReadOnlyCollection<NotificationStatus> statuses, Guid? personId, CancellationToken ct) =>
        (await ListAsync(programmeId, statuses, personId, null, ct)).Items;

    /// <summary>
    /// A page of them, newest first (null: the newest <see cref="MaxListed"/>, as before paging). Pages go back as far as
    /// there are notifications: the cap is only for the unpaged answer.
    /// </summary>
    public async Task<Paged<NotificationResource>> ListAsync(
        Guid programmeId, IReadOnlyCollection<NotificationStatus> statuses, Guid? personId, KeysetPage<CreatedKey>? page, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Notifications.AsNoTracking().Where(n => n.ProgrammeId == programmeId);
        if (statuses.Count > 0)
        {
            query = query.Where(n => statuses.Contains(n.Status));
        }

        if (personId is { } who)
        {
            query = query.Where(n => n.PersonId == who);
        }

        if (page?.After is { } after)
        {
            query = query.Where(n => EF.Functions.LessThan(ValueTuple.Create(n.CreatedAt, n.Id), ValueTuple.Create(after.CreatedAt, after.Id)));
        }

        var rows = await (
            from n in query
            join p in db.People on n.PersonId equals p.Id
            orderby n.CreatedAt descending, n.Id descending
            select new { Notification = n, p.Email }).Take(page is { } paged ? paged.Limit + 1 : MaxListed).ToListAsync(ct);
        var next = Paging.Cut(rows, page, r => new CreatedKey(r.Notification.CreatedAt, r.Notification.Id));
        return Paging.Result([.. rows.Select(r => ToResource(r.Notification, r.Email))], page, next);
    }

    /// <summary>
    /// People whose last change (the newest notification queued for them, whatever became of it) is later than both
    /// their feeds' last fetch and their last e-mail sent: their calendar cannot show it yet.
    /// </summary>
    public async Task<IReadOnlyList<UnreachedPerson>> UnreachedAsync(Guid programmeId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await (
            from p in db.People.AsNoTracking()
            where p.ProgrammeId == programmeId
            let lastChange = db.Notifications.Where(n => n.PersonId == p.Id && n.ProgrammeId == programmeId).Max(n => (Instant?)n.CreatedAt)
            where lastChange != null
            let lastFetch = db.Feeds.Where(f => f.Scope == FeedScopes.Person && f.SubjectId == p.Id && f.RevokedAt == null).Max(f => f.LastFetchedAt)
            let lastMail = db.Notifications.Where(n => n.PersonId == p.Id && n.Status == NotificationStatus.Sent).Max(n => n.SentAt)
            orderby p.FullName
            select new { p.Id, p.FullName, p.Email, p.Notify, LastChange = lastChange!.Value, LastFetch = lastFetch, LastMail = lastMail }).ToListAsync(ct);
        return [.. rows
            .Where(r => (r.LastFetch is null || r.LastFetch < r.LastChange) && (r.LastMail is null || r.LastMail < r.LastChange))
            .Select(r => new UnreachedPerson(r.Id, r.FullName, r.Email, r.Notify, r.LastChange, r.LastFetch, r.LastMail))];
    }

    private static NotificationResource ToResource(NotificationRecord n, string email) => new(
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
