namespace CommissionPlanner.Web.Feeds;

/// <summary>
/// When this silo last answered a calendar poll: while it is answering them, changes take turns beside them
/// (<see cref="Hosting.ChangeTurns"/>). One word, written at most once a tick of <see cref="Environment.TickCount64"/>
/// (a few milliseconds), so thousands of polls a second on every core do not contend on it.
/// </summary>
internal sealed class CalendarPolls
{
    private long lastAnswered = -1; // never: TickCount64 is never negative

    public void Answered()
    {
        var now = Environment.TickCount64;
        if (Volatile.Read(ref lastAnswered) != now)
        {
            Volatile.Write(ref lastAnswered, now);
        }
    }

    public bool AnsweredWithin(TimeSpan window) =>
        Volatile.Read(ref lastAnswered) is var last && last >= 0 && Environment.TickCount64 - last <= (long)window.TotalMilliseconds;
}
