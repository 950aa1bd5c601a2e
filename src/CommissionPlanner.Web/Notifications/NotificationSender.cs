using Microsoft.Extensions.Options;

namespace CommissionPlanner.Web.Notifications;

/// <summary>
/// Every silo's loop over the outbox: every <see cref="MailSettings.PollSeconds"/> it composes what is due and delivers
/// what is ready (<see cref="NotificationOutbox"/>: row locks and leases make each message one silo's at a time). Without
/// a mail server it says so once at start and sends nothing; changes still queue, to be sent once one is configured.
/// </summary>
public sealed class NotificationSender(NotificationOutbox outbox, IOptions<MailSettings> settings, ILogger<NotificationSender> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var mail = settings.Value;
        if (!mail.CanSend)
        {
            logger.LogWarning(
                "Notifications: no e-mail is sent ({Reason}). Changes still queue for programmes that have notifications on.",
                !mail.Enabled ? "Planner:Mail:Enabled is false" : "Planner:Mail:SmtpHost and Planner:Mail:From must both be set");
            return;
        }

        logger.LogInformation("Notifications: sending through {Host}:{Port} as {From}, changes batched for {Seconds} s.",
            mail.SmtpHost, mail.SmtpPort, mail.From, mail.BatchSeconds);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(mail.PollSeconds));
        do
        {
            try
            {
                await outbox.ComposeDueAsync(programmeId: null, now: false, stoppingToken);
                await outbox.DeliverDueAsync(programmeId: null, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed pass (PostgreSQL down, say) is logged and tried again; it must never stop the host.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogWarning(ex, "Notifications: a pass over the outbox failed; it is tried again in {Seconds} s.", mail.PollSeconds);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
