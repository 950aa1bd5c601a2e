using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CommissionPlanner.Benchmarks;

/// <summary>
/// The load test's third contender (deploy/perf/load-test.sh, docs/performance.md): the framework's floor. A bare
/// ASP.NET Core endpoint on the planner's runtime, Kestrel defaults and GC settings (workstation, concurrent), that serves
/// the same feed bytes from memory with a strong ETag and 304s, and nothing else: no routing beyond one path, no
/// authentication, no database, no security headers. What the planner spends above it is the planner's own.
/// </summary>
/// <remarks>
/// <c>bare --file FEED.ics --port N</c>. <c>POST /reload</c> reads the file again (the load test calls it whenever it
/// refreshes nginx's copy, so all three serve the same bytes).
/// </remarks>
public static class BareFeedServer
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        string? file = null;
        var port = 0;
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            switch (args[i])
            {
                case "--file": file = args[i + 1]; break;
                case "--port": port = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        if (file is null || port <= 0)
        {
            Console.Error.WriteLine("usage: CommissionPlanner.Benchmarks bare --file FEED.ics --port N");
            return 2;
        }

        var feed = Load(file);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapMethods("/feed.ics", ["GET", "HEAD"], (HttpContext http) =>
        {
            var current = feed;
            http.Response.Headers.ETag = current.ETag;
            if (http.Request.Headers.IfNoneMatch == current.ETag)
            {
                http.Response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }

            http.Response.ContentType = "text/calendar; charset=utf-8";
            http.Response.ContentLength = current.Bytes.Length;
            return HttpMethods.IsHead(http.Request.Method) ? Task.CompletedTask : http.Response.Body.WriteAsync(current.Bytes, http.RequestAborted).AsTask();
        });
        app.MapPost("/reload", () =>
        {
            feed = Load(file);
            return Results.Text(feed.ETag);
        });
        await app.RunAsync();
        return 0;
    }

    private static Feed Load(string file)
    {
        var bytes = File.ReadAllBytes(file);
        return new Feed(bytes, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"");
    }

    private sealed record Feed(byte[] Bytes, string ETag);
}
