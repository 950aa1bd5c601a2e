namespace CommissionPlanner.Domain;

/// <summary>Where one notification (one e-mail to one person) stands.</summary>
public enum NotificationStatus
{
    /// <summary>Collecting changes: every change that may touch the person joins it until its batch window ends.</summary>
    Queued,

    /// <summary>Composed (its message stored, what it tells recorded), waiting to be delivered or retried.</summary>
    Ready,

    Sent,

    /// <summary>Given up: refused by the server for good, or still undelivered after the last retry.</summary>
    Failed,
}

/// <summary>The wire names of <see cref="NotificationStatus"/>, as stored and as the notifications API shows them.</summary>
public static class NotificationStatuses
{
    private static readonly WireNameMap<NotificationStatus> Map = new(
        (NotificationStatus.Queued, "queued"),
        (NotificationStatus.Ready, "ready"),
        (NotificationStatus.Sent, "sent"),
        (NotificationStatus.Failed, "failed"));

    public static IReadOnlyList<string> WireNames => Map.Names;

    public static bool TryParse(string? wire, out NotificationStatus value) => Map.TryParse(wire, out value);

    public static string ToWire(NotificationStatus value) => Map.ToWire(value);
}
