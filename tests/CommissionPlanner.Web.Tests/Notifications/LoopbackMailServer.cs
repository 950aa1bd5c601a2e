using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using CommissionPlanner.Web.Tests.Infrastructure;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CommissionPlanner.Web.Tests.Notifications;

/// <summary>
/// A real SMTP server on loopback (the SmtpServer library), that the planner delivers to over TCP exactly as to a
/// production relay: what it stores is what came over the wire. It can be stopped and started again on the same port,
/// to play a mail server that goes down.
/// </summary>
public sealed class LoopbackMailServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> received = new();
    private SmtpServer.SmtpServer? server;
    private CancellationTokenSource? stopping;
    private Task? running;

    public int Port { get; } = TestDatabase.FreePort();

    public IReadOnlyCollection<MimeMessage> Received => received;

    public void Start()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(received));
        server = new SmtpServer.SmtpServer(options, services);
        stopping = new CancellationTokenSource();
        running = server.StartAsync(stopping.Token);
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

    public async ValueTask DisposeAsync() => await StopAsync();

    private sealed class Store(ConcurrentQueue<MimeMessage> received) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            received.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
