using CommissionPlanner.Domain;
using NodaTime;

namespace CommissionPlanner.Data.Entities;

/// <summary>
/// The outbox: one e-mail to one person about one programme. A queued row is written by the database itself, in the
/// transaction of the change that may touch the person (triggers of migration Notifications), so no writer can forget
/// one and none is lost with a dying silo; later changes within the batch window join the same queued row. The sender
/// (Web/Notifications) composes it once (<see cref="Body"/>, stored so a resend is the same message with the same
/// Message-ID), then delivers it under a lease, so exactly one silo sends it at a time.
/// </summary>
public sealed class NotificationRecord
{
    public Guid Id { get; set; }
    public Guid ProgrammeId { get; set; }
    public Guid PersonId { get; set; }
    public NotificationStatus Status { get; set; }
    /// <summary>While queued: the engagements changes reached. Once composed: those the message tells of.</summary>
    public List<Guid> EngagementIds { get; set; } = [];
    /// <summary>The first change's commit time: the batch window runs from here.</summary>
    public Instant CreatedAt { get; set; }
    public Instant? ComposedAt { get; set; }
    /// <summary>The address it went to, as the person's record had it when it was composed.</summary>
    public string? Email { get; set; }
    public string? Subject { get; set; }
    public string? MessageId { get; set; }
    /// <summary>The whole MIME message as composed.</summary>
    public byte[]? Body { get; set; }
    public int Attempts { get; set; }
    public Instant? NextAttemptAt { get; set; }
    /// <summary>The silo delivering it, until <see cref="LeaseUntil"/>; after that any silo may take it over.</summary>
    public string? LeaseOwner { get; set; }
    public Instant? LeaseUntil { get; set; }
    public Instant? SentAt { get; set; }
    /// <summary>The SMTP server's answer to the message.</summary>
    public string? ServerResponse { get; set; }
    /// <summary>Why the last attempt failed.</summary>
    public string? Error { get; set; }
}

/// <summary>
/// What a person was last told of one engagement (an <see cref="EventView"/> as JSON): the "before" of their next
/// notification about it. Written with the message that told them, and for everyone when a programme's notifications
/// are switched on (what their feeds show then is what they know).
/// </summary>
public sealed class NotifiedViewRecord
{
    public Guid PersonId { get; set; }
    public Guid EngagementId { get; set; }
    public required string View { get; set; }
    public Instant UpdatedAt { get; set; }
}
