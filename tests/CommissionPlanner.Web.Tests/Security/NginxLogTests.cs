using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Tests.Infrastructure;

namespace CommissionPlanner.Web.Tests.Security;

/// <summary>
/// The shipped nginx configuration (deploy/compose/nginx.conf), run by the real nginx with its upstreams pointed at a port
/// nobody listens on: every request fails upstream, which nginx writes to both its access and its error log.
/// </summary>
public sealed partial class NginxLogTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_shipped_nginx_config_logs_no_feed_or_reply_token_even_when_the_upstream_fails()
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists);
        Assert.SkipWhen(nginx is null, "nginx is not installed (apt-get install nginx-light); the shipped nginx config is not checked.");

        var prefix = Directory.CreateTempSubdirectory("planner-nginx-").FullName;
        var port = TestDatabase.FreePort();
        var deadPort = TestDatabase.FreePort();
        var shipped = await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "deploy", "compose", "nginx.conf"), Cancel);
        var site = UpstreamServer().Replace(shipped, $"server 127.0.0.1:{deadPort}")
            .Replace("listen 80;", $"listen 127.0.0.1:{port};", StringComparison.Ordinal)
            .Replace("/var/log/nginx/", prefix + "/", StringComparison.Ordinal);
        Assert.NotEqual(shipped, site);
        var user = Environment.UserName == "root" ? "user root;" : string.Empty;
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), $$"""
            worker_processes 1;
            daemon off;
            {{user}}
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log info;
            events { worker_connections 64; }
            http {
              # As a distribution's own nginx.conf has it: the full request line of every request.
              access_log {{prefix}}/access.log combined;
              client_body_temp_path {{prefix}}/body;
              proxy_temp_path {{prefix}}/proxy;
              fastcgi_temp_path {{prefix}}/fastcgi;
              uwsgi_temp_path {{prefix}}/uwsgi;
              scgi_temp_path {{prefix}}/scgi;
              include {{prefix}}/site.conf;
            }
            """, Cancel);
        await File.WriteAllTextAsync(Path.Combine(prefix, "site.conf"), site, Cancel);

        var feedToken = UrlTokens.NewToken();
        var replyToken = UrlTokens.NewToken();
        using var process = Process.Start(new ProcessStartInfo(nginx!, ["-p", prefix, "-c", Path.Combine(prefix, "nginx.conf")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitForAsync(http);
            foreach (var path in new[] { $"/feeds/{feedToken}.ics", $"/reply/{replyToken}", $"/feeds/{feedToken}.ics?x=1", "/api/programmes" })
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative), Cancel);
                Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            }

            using var post = await http.PostAsync(new Uri($"/reply/{replyToken}", UriKind.Relative), new StringContent("{}"), Cancel);
            Assert.Equal(HttpStatusCode.BadGateway, post.StatusCode);
        }
        finally
        {
            // Process.Kill() would SIGKILL the master alone and leave its worker running: ask nginx to stop, workers and all.
            using (var quit = Process.Start(new ProcessStartInfo(nginx!, ["-p", prefix, "-c", Path.Combine(prefix, "nginx.conf"), "-s", "quit"]))!)
            {
                await quit.WaitForExitAsync(Cancel);
            }

            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(stopping.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(Cancel);
            }
        }

        var logs = Directory.GetFiles(prefix, "*.log").ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f), StringComparer.Ordinal);
        var access = logs["access.log"];
        // Both logs did their work: the access log has every request, by its route; the error log names the API request's failure.
        Assert.Contains("\"GET /feeds/{redacted} HTTP/1.1\" 502", access, StringComparison.Ordinal);
        Assert.Contains("\"POST /reply/{redacted} HTTP/1.1\" 502", access, StringComparison.Ordinal);
        Assert.Contains("\"GET /api/programmes HTTP/1.1\" 502", access, StringComparison.Ordinal);
        Assert.Contains(logs.Values, text => text.Contains("request: \"GET /api/programmes HTTP/1.1\"", StringComparison.Ordinal));
        foreach (var (file, text) in logs)
        {
            Assert.False(text.Contains(feedToken, StringComparison.Ordinal) || text.Contains(replyToken, StringComparison.Ordinal),
                $"nginx's {file} contains a token:\n{text}");
        }

        Directory.Delete(prefix, recursive: true);
    }

    private static async Task WaitForAsync(HttpClient http)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var _ = await http.GetAsync(new Uri("/", UriKind.Relative), Cancel);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, Cancel);
            }
        }

        Assert.Fail("nginx did not start.");
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CommissionPlanner.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("The repository root (CommissionPlanner.sln) was not found.");
    }

    [GeneratedRegex(@"server silo\d:8080")]
    private static partial Regex UpstreamServer();
}
