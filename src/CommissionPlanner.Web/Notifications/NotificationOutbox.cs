using CommissionPlanner.Calendar;
using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Data.Queries;
using CommissionPlanner.Domain;
using CommissionPlanner.Web.Feeds;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using NodaTime;

namespace CommissionPlanner.Web.Notifications;

/// <summary>"Send now"'s answer: what this request sent, what failed for good, and what is still waiting.</summary>
public sealed record SendResult(int Sent, int Failed, int Queued);

/// <summary>What one pass of the sender did.</summary>
public sealed record DeliveryCounts(int Sent, int Failed, int Retrying);

/// <summary>
/// The sending side of the outbox (docs/notifications.md). Queued rows are written by the database in each change's
/// transaction; here they are composed and delivered:
/// <list type="number">
/// <item><b>Compose</b>, once the batch window has passed (or at once when staff say "send now"): in one transaction that
/// holds the row (<c>FOR UPDATE SKIP LOCKED</c>, so no two silos compose one), compare what the person was last told with
/// what they are shown now (<see cref="EventNotices"/>), store the whole message, record what it tells as what they were
/// told. Nothing to tell, opted out, no address, or the programme switched off: the row goes, and nothing is sent.</item>
/// <item><b>Deliver</b> under a lease: a silo takes ready messages for <see cref="MailSettings.LeaseSeconds"/>; a silo that
/// dies mid-send leaves them to whoever takes them after the lease. A failure is retried with doubling delays; a
/// refusal for good (5xx to the recipient or the message) or the last attempt fails it, with the reason.</item>
/// </list>
/// A resend after a crash sends the stored bytes again, with the same Message-ID. The only duplicate possible is a message
/// the server accepted in the moment before the silo died, before it recorded "sent": receivers that collapse one
/// Message-ID (Gmail does) show it once.
/// </summary>
public sealed class NotificationOutbox(
    IDbContextFactory<PlannerDbContext> dbFactory,
    IClock clock,
    IOptions<MailSettings> mail,
    IOptions<FeedSettings> feeds,
    IOptions<Hosting.PlannerOptions> planner,
    ILogger<NotificationOutbox> logger)
{
    private const int ComposeBatch = 50;
    private const int DeliverBatch = 20;

    /// <summary>This process, as the holder of delivery leases.</summary>
    private readonly string leaseOwner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    private MailSettings Mail => mail.Value;

    /// <summary>
    /// Composes what is due: queued longer than the batch window, or, with <paramref name="programmeId"/> and
    /// <paramref name="now"/> true, everything queued in that programme. Returns how many messages it composed.
    /// </summary>
    public async Task<int> ComposeDueAsync(Guid? programmeId, bool now, CancellationToken ct)
    {
        var composed = 0;
        while (true)
        {
            var (taken, made) = await ComposeBatchAsync(programmeId, now, ct);
            composed += made;
            if (taken < ComposeBatch)
            {
                return composed;
            }
        }
    }

    private async Task<(int Taken, int Composed)> ComposeBatchAsync(Guid? programmeId, bool now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var cutoff = clock.GetCurrentInstant() - Duration.FromSeconds(now ? 0 : Mail.BatchSeconds);
        // Held until this transaction ends: a change committing meanwhile waits for the row, finds it no longer
        // collecting, and starts the person's next notification, so nothing it does is missed or told twice.
        var due = await (programmeId is { } programme
            ? db.Notifications.FromSql($"""
                SELECT * FROM notifications WHERE status = 'queued' AND created_at <= {cutoff} AND programme_id = {programme}
                ORDER BY created_at LIMIT {ComposeBatch} FOR UPDATE SKIP LOCKED
                """)
            : db.Notifications.FromSql($"""
                SELECT * FROM notifications WHERE status = 'queued' AND created_at <= {cutoff}
                ORDER BY created_at LIMIT {ComposeBatch} FOR UPDATE SKIP LOCKED
                """)).ToListAsync(ct);
        var composed = 0;
        foreach (var notification in due)
        {
            if (await ComposeAsync(db, notification, ct))
            {
                composed++;
            }
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (due.Count, composed);
    }

    /// <summary>Composes one notification in the caller's transaction; false when there is nothing to send (the row is removed).</summary>
    private async Task<bool> ComposeAsync(PlannerDbContext db, NotificationRecord notification, CancellationToken ct)
    {
        var programme = await db.Programmes.AsNoTracking().SingleAsync(p => p.Id == notification.ProgrammeId, ct);
        var person = await db.People.AsNoTracking().SingleAsync(p => p.Id == notification.PersonId, ct);
        if (!programme.NotificationsEnabled || !person.Notify || !Validators.TryMailtoUri(person.Email, out _))
        {
            // Nothing was told, so what they were last told stays as it was.
            db.Notifications.Remove(notification);
            return false;
        }

        var ids = notification.EngagementIds.Distinct().ToList();
        var views = await NotificationViews.CurrentAsync(db, ids, [person.Id], ct);
        var told = await NotificationViews.ToldAsync(db, person.Id, ids, ct);
        var now = clock.GetCurrentInstant();
        var notices = new List<EventNotice>();
        foreach (var id in ids)
        {
            var before = told.TryGetValue(id, out var record) ? NotificationViews.FromJson(record.View) : null;
            var after = views.GetValueOrDefault((person.Id, id));
            if (EventNotices.Between(id, before, after) is { } notice)
            {
                notices.Add(notice);
            }

            // What they see now is what they know from here on, told or not (a decline, a change and its undoing).
            if (after is null)
            {
                if (record is not null)
                {
                    db.NotifiedViews.Remove(record);
                }
            }
            else if (record is null)
            {
                db.NotifiedViews.Add(new NotifiedViewRecord { PersonId = person.Id, EngagementId = id, View = NotificationViews.ToJson(after), UpdatedAt = now });
            }
            else
            {
                record.View = NotificationViews.ToJson(after);
                record.UpdatedAt = now;
            }
        }

        if (notices.Count == 0)
        {
            db.Notifications.Remove(notification);
            return false;
        }

        var events = await FeedService.PersonEventsAsync(db, person.Id, [.. notices.Select(n => n.EngagementId)], ct);
        var recipient = new MailRecipient(person.Id, person.FullName, person.LocalName, person.Email, await HomeZoneAsync(db, person, ct));
        var baseUrl = planner.Value.PublicBaseUrl?.TrimEnd('/');
        var items = new List<MailItem>();
        foreach (var notice in notices.OrderBy(n => n.After?.StartInstant ?? n.Before?.StartInstant))
        {
            // Links need the address people reach the planner at; a background job has no request to take it from.
            string? replyUrl = null;
            if (baseUrl is not null && !notice.IsCancel)
            {
                var (_, token) = await Security.ReplyLinks.IssueAsync(
                    db, notice.EngagementId, person.Id, person.ProgrammeId, new ChangeActor(ActorName, null, null), ActorName, now, ct);
                replyUrl = $"{baseUrl}/reply/{token}";
            }

            var eventUrl = baseUrl is null ? null : $"{baseUrl}/api/engagements/{notice.EngagementId}";
            items.Add(new MailItem(notice, WithRecipient(events[notice.EngagementId], person), replyUrl, eventUrl));
        }

        MimeMessage message;
        try
        {
            message = NotificationMail.Compose(new MailContent(notification.Id, recipient, programme.Name, items), Sender(), now);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or ParseException)
        {
            // An address the mail library refuses, say: failed with the reason, so it neither blocks the batches after it
            // nor is tried again and again.
            logger.LogWarning("Notifications: {Id} cannot be composed ({Reason}); it is marked failed.", notification.Id, ex.Message);
            notification.Status = NotificationStatus.Failed;
            notification.Error = Truncate($"Not composed: {ex.Message}", 2000);
            notification.ComposedAt = now;
            return false;
        }

        using var buffer = new MemoryStream();
        await message.WriteToAsync(buffer, ct);

        notification.Status = NotificationStatus.Ready;
        notification.EngagementIds = [.. notices.Select(n => n.EngagementId)];
        notification.ComposedAt = now;
        notification.Email = person.Email;
        notification.Subject = Truncate(message.Subject, 1000);
        notification.MessageId = message.MessageId;
        notification.Body = buffer.ToArray();
        return true;
    }

    /// <summary>
    /// Delivers what is ready and due (of one programme, or all), under a lease per message. Returns what happened; a
    /// message another silo holds is left alone.
    /// </summary>
    public async Task<DeliveryCounts> DeliverDueAsync(Guid? programmeId, CancellationToken ct)
    {
        var (sent, failed, retrying) = (0, 0, 0);
        if (!Mail.CanSend)
        {
            return new DeliveryCounts(0, 0, 0);
        }

        while (true)
        {
            var taken = await TakeAsync(programmeId, ct);
            if (taken.Count == 0)
            {
                return new DeliveryCounts(sent, failed, retrying);
            }

            var counts = await SendAsync(taken, ct);
            (sent, failed, retrying) = (sent + counts.Sent, failed + counts.Failed, retrying + counts.Retrying);
            if (taken.Count < DeliverBatch || counts.Retrying > 0)
            {
                // A server that refuses now will refuse the rest too: they wait for their own retry time.
                return new DeliveryCounts(sent, failed, retrying);
            }
        }
    }

    /// <summary>Takes up to a batch of ready messages for this silo: a lease in one short transaction of its own.</summary>
    private async Task<List<NotificationRecord>> TakeAsync(Guid? programmeId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetCurrentInstant();
        var until = now + Duration.FromSeconds(Mail.LeaseSeconds);
        // "Send now" passes its programme; the sender's loop none (every programme).
        var all = programmeId is null;
        var programme = programmeId ?? Guid.Empty;
        // A row still naming an owner whose lease ran out is a take-over: that silo stopped before it recorded how its
        // attempt ended, so the attempt counts and the row says the message may already have arrived.
        var ids = await db.Database.SqlQuery<Guid>($"""
            UPDATE notifications SET lease_owner = {leaseOwner}, lease_until = {until},
                attempts = attempts + CASE WHEN lease_owner IS NULL THEN 0 ELSE 1 END,
                error = CASE WHEN lease_owner IS NULL THEN error ELSE {Interrupted} END
            WHERE id IN (
                SELECT id FROM notifications
                WHERE status = 'ready' AND (next_attempt_at IS NULL OR next_attempt_at <= {now})
                  AND (lease_until IS NULL OR lease_until < {now})
                  AND ({all} OR programme_id = {programme})
                ORDER BY created_at LIMIT {DeliverBatch} FOR UPDATE SKIP LOCKED)
            RETURNING id AS "Value"
            """).ToListAsync(ct);

        if (ids.Count == 0)
        {
            return [];
        }

        return await db.Notifications.AsNoTracking().Where(n => ids.Contains(n.Id)).OrderBy(n => n.CreatedAt).ToListAsync(ct);
    }

    private async Task<DeliveryCounts> SendAsync(List<NotificationRecord> taken, CancellationToken ct)
    {
        var (sent, failed, retrying) = (0, 0, 0);
        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(Mail.SmtpHost!, Mail.SmtpPort, SecureSocketOptions.StartTlsWhenAvailable, ct);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or SmtpProtocolException or SmtpCommandException or SslHandshakeException or TimeoutException)
        {
            logger.LogWarning("Notifications: the mail server {Host}:{Port} cannot be reached ({Reason}); {Count} message(s) wait for a retry.",
                Mail.SmtpHost, Mail.SmtpPort, ex.Message, taken.Count);
            foreach (var notification in taken)
            {
                await RecordFailureAsync(notification, ex.Message, permanent: false, ct);
                retrying++;
            }

            return new DeliveryCounts(sent, failed, retrying);
        }

        foreach (var notification in taken)
        {
            using var stream = new MemoryStream(notification.Body!);
            var message = await MimeMessage.LoadAsync(stream, ct);
            try
            {
                var response = await client.SendAsync(message, ct);
                await RecordSentAsync(notification, response, ct);
                sent++;
            }
            catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
            {
                // The server refuses this recipient or message for good: retrying would be refused the same way.
                logger.LogWarning("Notifications: {MessageId} refused by the mail server: {Status} {Reason}.", notification.MessageId, (int)ex.StatusCode, ex.Message);
                failed += await RecordFailureAsync(notification, $"{(int)ex.StatusCode} {ex.Message}", permanent: true, ct) ? 1 : 0;
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or SmtpProtocolException or SmtpCommandException or ServiceNotConnectedException or TimeoutException)
            {
                logger.LogWarning("Notifications: sending {MessageId} failed ({Reason}); it will be retried.", notification.MessageId, ex.Message);
                if (await RecordFailureAsync(notification, ex.Message, permanent: false, ct))
                {
                    failed++;
                }
                else
                {
                    retrying++;
                }

                if (!client.IsConnected)
                {
                    break;
                }
            }
        }

        if (client.IsConnected)
        {
            await client.DisconnectAsync(quit: true, ct);
        }

        return new DeliveryCounts(sent, failed, retrying);
    }

    /// <summary>What a message taken over from a silo that stopped mid-send says, also once it is sent.</summary>
    public const string Interrupted =
        "Interrupted: the silo sending it stopped before it recorded the outcome; sent again with the same Message-ID, so it may arrive twice.";

    private async Task RecordSentAsync(NotificationRecord notification, string response, CancellationToken ct)
    {
        // A failure before this send is history once it went; a take-over stays, as the warning of a possible duplicate.
        var note = notification.Error == Interrupted ? Interrupted : null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetCurrentInstant();
        // Only while this silo still holds it: after a lease ran out another silo may have taken it over.
        await db.Notifications.Where(n => n.Id == notification.Id && n.LeaseOwner == leaseOwner)
            .ExecuteUpdateAsync(s => s
                .SetProperty(n => n.Status, NotificationStatus.Sent)
                .SetProperty(n => n.SentAt, now)
                .SetProperty(n => n.ServerResponse, Truncate(response, 1000))
                .SetProperty(n => n.Attempts, n => n.Attempts + 1)
                .SetProperty(n => n.Error, note)
                .SetProperty(n => n.LeaseOwner, (string?)null)
                .SetProperty(n => n.LeaseUntil, (Instant?)null), ct);
    }

    /// <summary>Records a failed attempt; true when the message is now given up as failed.</summary>
    private async Task<bool> RecordFailureAsync(NotificationRecord notification, string reason, bool permanent, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetCurrentInstant();
        var attempts = notification.Attempts + 1;
        var giveUp = permanent || attempts >= Mail.MaxAttempts;
        var delay = Duration.FromSeconds(Math.Min(3600, Mail.RetrySeconds * Math.Pow(2, Math.Min(attempts - 1, 20))));
        await db.Notifications.Where(n => n.Id == notification.Id && n.LeaseOwner == leaseOwner)
            .ExecuteUpdateAsync(s => s
                .SetProperty(n => n.Status, giveUp ? NotificationStatus.Failed : NotificationStatus.Ready)
                .SetProperty(n => n.Attempts, attempts)
                .SetProperty(n => n.Error, Truncate(reason, 2000))
                .SetProperty(n => n.NextAttemptAt, giveUp ? null : now + delay)
                .SetProperty(n => n.LeaseOwner, (string?)null)
                .SetProperty(n => n.LeaseUntil, (Instant?)null), ct);
        return giveUp;
    }

    /// <summary>Who the audit trail names for what the sender writes.</summary>
    private const string ActorName = "notifications";

    private MailSender Sender()
    {
        var organizerEmail = feeds.Value.OrganizerEmail ?? Mail.From!;
        var organizerName = feeds.Value.OrganizerEmail is null ? Mail.FromName : feeds.Value.OrganizerName;
        return new MailSender(Mail.From ?? "planner@localhost", Mail.FromName, organizerName, organizerEmail);
    }

    /// <summary>The recipient's own attendee line, also when they are no longer on the list (a CANCEL names them).</summary>
    private static FeedEvent WithRecipient(FeedEvent e, PersonRecord person) =>
        e.Attendees.Any(a => a.PersonId == person.Id)
            ? e
            : e with { Attendees = [new FeedAttendee(person.Id, person.FullName, person.LocalName, person.Email, "required", "needs-action")] };

    /// <summary>Where the person lives, for the second time a mail shows: their delegation's home zone, as the pages show it.</summary>
    private static async Task<string?> HomeZoneAsync(PlannerDbContext db, PersonRecord person, CancellationToken ct) =>
        Ui.Display.HomeZone((await db.Delegations.Where(d => d.Id == person.DelegationId).Select(d => d.Country).SingleOrDefaultAsync(ct))?.Trim());

    private static string? Truncate(string? text, int length) => text is { Length: > 0 } && text.Length > length ? text[..length] : text;

    /// <summary>
    /// "Send now" (the API's <c>POST …/notifications/send</c> and the notifications page): composes everything queued
    /// in the programme without waiting for the window, and delivers what is ready. Null when no mail server is set up.
    /// </summary>
    public async Task<SendResult?> SendNowAsync(Guid programmeId, CancellationToken ct)
    {
        if (!Mail.CanSend)
        {
            return null;
        }

        await ComposeDueAsync(programmeId, now: true, ct);
        var delivered = await DeliverDueAsync(programmeId, ct);
        return new SendResult(delivered.Sent, delivered.Failed, await PendingAsync(programmeId, ct));
    }

    /// <summary>Why "send now" cannot send: the sentence the API's 409 and the page show.</summary>
    public const string CannotSend =
        "No mail server is configured (Planner:Mail:SmtpHost and Planner:Mail:From), or Planner:Mail:Enabled is false: nothing can be sent. Queued notifications wait.";

    /// <summary>How many of a programme's notifications are not yet sent (queued or ready), for "send now"'s answer.</summary>
    public async Task<int> PendingAsync(Guid programmeId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Notifications.CountAsync(n => n.ProgrammeId == programmeId
            && (n.Status == NotificationStatus.Queued || n.Status == NotificationStatus.Ready), ct);
    }
}
