using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace CommissionPlanner.Web.Tests.Security;

/// <summary>
/// A loopback TCP relay in front of PostgreSQL: a host connected through it loses its database when the relay is
/// <see cref="Cut"/> (open connections are reset, new ones refused) and gets it back on <see cref="Restore"/>, while
/// every other test keeps the shared server.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint target;
    private readonly ConcurrentDictionary<TcpClient, byte> open = new();
    private readonly CancellationTokenSource stopping = new();
    private TcpListener? listener;
    private Task? accepting;

    public TcpProxy(string host, int port)
    {
        target = new IPEndPoint(IPAddress.Parse(host == "localhost" ? "127.0.0.1" : host), port);
        Port = Start(0);
    }

    public int Port { get; }

    /// <summary>The database goes away: connections are reset and the port refuses new ones.</summary>
    public void Cut()
    {
        listener?.Stop();
        listener = null;
        foreach (var client in open.Keys)
        {
            try
            {
                // Reset, not a polite close: the server is gone, not shutting down.
                if (client.Client is { Connected: true } socket)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }

            client.Dispose();
        }

        open.Clear();
    }

    /// <summary>The database is back on the same port.</summary>
    public void Restore() => Start(Port);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        Cut();
        if (accepting is not null)
        {
            await accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        stopping.Dispose();
    }

    private int Start(int port)
    {
        var started = new TcpListener(IPAddress.Loopback, port);
        started.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        started.Start();
        listener = started;
        accepting = AcceptAsync(started);
        return ((IPEndPoint)started.LocalEndpoint).Port;
    }

    private async Task AcceptAsync(TcpListener from)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await from.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                return;
            }

            _ = RelayAsync(inbound);
        }
    }

    private async Task RelayAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        open[inbound] = 0;
        open[outbound] = 0;
        try
        {
            await outbound.ConnectAsync(target, stopping.Token);
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, stopping.Token), b.CopyToAsync(a, stopping.Token));
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            open.TryRemove(inbound, out _);
            open.TryRemove(outbound, out _);
            inbound.Dispose();
            outbound.Dispose();
        }
    }
}
