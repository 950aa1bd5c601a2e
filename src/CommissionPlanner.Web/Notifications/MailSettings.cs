using System.ComponentModel.DataAnnotations;

namespace CommissionPlanner.Web.Notifications;

/// <summary>
/// <c>Planner:Mail</c> (binding names in ../shared/docs/api-contract.md, "Notifications"). Without <see cref="SmtpHost"/>
/// and <see cref="From"/> nothing is sent (changes still queue), and the planner says so at start.
/// </summary>
public sealed class MailSettings
{
    public const string Section = "Planner:Mail";

    /// <summary>Off stops all sending, whatever else is set; queued notifications wait until it is on again.</summary>
    public bool Enabled { get; set; } = true;

    public string? SmtpHost { get; set; }

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 25;

    /// <summary>The sender address; also the ORGANIZER of the invitations unless Planner:Feeds:OrganizerEmail is set.</summary>
    [EmailAddress]
    public string? From { get; set; }

    /// <summary>The display name of <see cref="From"/>.</summary>
    public string? FromName { get; set; }

    /// <summary>Changes to one person within this many seconds of the first go out as one e-mail.</summary>
    [Range(0, 24 * 60 * 60)]
    public int BatchSeconds { get; set; } = 300;

    /// <summary>How often each silo looks for notifications that are due.</summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 5;

    /// <summary>How long a silo may take to deliver what it took before another silo may take it over (a silo that died).</summary>
    [Range(5, 3600)]
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>The first retry's delay; each next one doubles, up to an hour.</summary>
    [Range(1, 3600)]
    public int RetrySeconds { get; set; } = 30;

    /// <summary>Attempts before a message is given up as failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Whether a mail server is set up to send to at all.</summary>
    public bool CanSend => Enabled && !string.IsNullOrWhiteSpace(SmtpHost) && !string.IsNullOrWhiteSpace(From);
}
