using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CommissionPlanner.Tests.Mail;

/// <summary>
/// A real SMTP server on loopback (the SmtpServer library), that the planner delivers to over TCP exactly as to a
/// production relay: what it stores is what came over the wire. It can be stopped and started again on the same port,
/// to play a mail server that goes down, and it can hold one transaction at a chosen step (<see cref="HoldAt"/>), so
/// that a fault test can kill the sender while it waits for the server's answer.
/// </summary>
public sealed class LoopbackMailServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> received = new();
    private SmtpServer.SmtpServer? server;
    private CancellationTokenSource? stopping;
    private Task? running;
    private MailHold? hold;

    public int Port { get; } = FreePort();

    public IReadOnlyCollection<MimeMessage> Received => received;

    public void Start()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Filter(this));
        server = new SmtpServer.SmtpServer(options, services);
        stopping = new CancellationTokenSource();
        running = server.StartAsync(stopping.Token);
    }

    /// <summary>
    /// Holds the next transaction that reaches <paramref name="step"/> after <paramref name="skip"/> others have passed
    /// it, until <see cref="MailHold.Release"/>. One hold at a time: the one before must have been released.
    /// </summary>
    public MailHold HoldAt(MailStep step, int skip)
    {
        Assert.True(hold is null or { IsReleased: true }, "The server still holds a transaction.");
        var next = new MailHold(step, skip);
        hold = next;
        return next;
    }

    public async Task StopAsync()
    {
        if (server is null)
        {
            return;
        }

        server.Shutdown();
        await stopping!.CancelAsync();
        try
        {
            await running!;
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }

        stopping.Dispose();
        server = null;
    }

    /// <summary>The messages to one address, once at least <paramref name="count"/> have come (or the time is up).</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(string address, int count = 1, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var mine = To(address);
            if (mine.Count >= count || DateTime.UtcNow > deadline)
            {
                return mine;
            }

            await Task.Delay(100);
        }
    }

    public IReadOnlyList<MimeMessage> To(string address) =>
        [.. received.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))];

    public async ValueTask DisposeAsync()
    {
        hold?.Release();
        await StopAsync();
    }

    /// <summary>Waits at <paramref name="step"/> if the hold is for it and its turn has come.</summary>
    private async Task PassAsync(MailStep step, string recipient, MimeMessage? message)
    {
        if (hold is { } current && current.Step == step && current.Take())
        {
            current.Reach(recipient, message);
            await current.Released;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Store(LoopbackMailServer owner) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            // Stored before the 250 goes back, as a real server commits a message to its queue before it answers:
            // a client that vanishes now has had its message accepted without knowing it.
            owner.received.Enqueue(message);
            await owner.PassAsync(MailStep.BeforeDataReply, message.To.Mailboxes.FirstOrDefault()?.Address ?? string.Empty, message);
            return SmtpResponse.Ok;
        }
    }

    private sealed class Filter(LoopbackMailServer owner) : MailboxFilter
    {
        public override async Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
        {
            await owner.PassAsync(MailStep.BeforeRecipientReply, $"{to.User}@{to.Host}", null);
            return true;
        }
    }
}

/// <summary>Where in one SMTP transaction the server may hold the client waiting.</summary>
public enum MailStep
{
    /// <summary>Before answering RCPT TO: nothing of the message has been sent yet.</summary>
    BeforeRecipientReply,

    /// <summary>After the whole message came and was stored, before the 250 that tells the client so.</summary>
    BeforeDataReply,
}

/// <summary>One held transaction: reached (with the recipient, and the message once it came), then released.</summary>
public sealed class MailHold(MailStep step, int skip)
{
    private readonly TaskCompletionSource<(string Recipient, MimeMessage? Message)> reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int passed;

    public MailStep Step { get; } = step;

    /// <summary>The held transaction's recipient, and its message at <see cref="MailStep.BeforeDataReply"/>.</summary>
    public Task<(string Recipient, MimeMessage? Message)> Reached => reached.Task;

    internal Task Released => released.Task;

    public bool IsReleased => released.Task.IsCompleted;

    public void Release() => released.TrySetResult();

    /// <summary>True for exactly one caller: the one after <c>skip</c> others.</summary>
    internal bool Take() => Interlocked.Increment(ref passed) == skip + 1;

    internal void Reach(string recipient, MimeMessage? message) => reached.TrySetResult((recipient, message));
}
