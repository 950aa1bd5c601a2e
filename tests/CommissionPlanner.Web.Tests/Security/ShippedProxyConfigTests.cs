using System.Net;
using System.Text.RegularExpressions;
using CommissionPlanner.Web.Security;

namespace CommissionPlanner.Web.Tests.Security;

/// <summary>
/// The shipped compose example (deploy/compose): the silos believe forwarded headers from exactly the nginx in front of
/// them, and that nginx sends both headers, the client's own address in X-Forwarded-For, on every route it proxies.
/// </summary>
public sealed partial class ShippedProxyConfigTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_compose_silos_believe_forwarded_headers_from_its_nginx_and_nginx_sends_them_on_every_route()
    {
        var compose = await File.ReadAllTextAsync(Path.Combine(NginxLogTests.RepoRoot(), "deploy", "compose", "compose.yaml"), Cancel);
        var nginx = await File.ReadAllTextAsync(Path.Combine(NginxLogTests.RepoRoot(), "deploy", "compose", "nginx.conf"), Cancel);

        // The proxy service's fixed address, and the addresses the planner's shared environment believes.
        var proxyService = ProxyService().Match(compose);
        Assert.True(proxyService.Success, "compose.yaml has no 'proxy:' service.");
        var proxyAddress = Assert.Single(Ipv4Address().Matches(proxyService.Value)).Groups[1].Value;
        var known = KnownProxy().Matches(compose).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(proxyAddress, known);
        var subnet = IPNetwork.Parse(Subnet().Match(compose).Groups[1].Value);
        Assert.All(known, address => Assert.True(subnet.Contains(IPAddress.Parse(address)), $"{address} is outside the planner network {subnet}."));
        // One proxy deep: only the entry nginx writes is read.
        Assert.Equal("1", ForwardLimit().Match(compose).Groups[1].Value);
        var settings = new ForwardedHeadersSettings { KnownProxies = [.. known], ForwardLimit = 1 };
        Assert.True(new ForwardedHeadersSettingsValidator().Validate(null, settings).Succeeded);

        // Every proxied location sends the client's address (nginx's own view of it, not a header the client made up) and scheme.
        var locations = Location().Matches(nginx).Select(m => m.Value).Where(l => l.Contains("proxy_pass", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(locations);
        Assert.All(locations, location =>
        {
            Assert.Contains("proxy_set_header X-Forwarded-For $remote_addr;", location, StringComparison.Ordinal);
            Assert.Contains("proxy_set_header X-Forwarded-Proto $scheme;", location, StringComparison.Ordinal);
        });
    }

    [GeneratedRegex(@"(?ms)^  proxy:\n.*?(?=^  \S|^\S|\z)")]
    private static partial Regex ProxyService();

    [GeneratedRegex(@"ipv4_address:\s*([0-9.]+)")]
    private static partial Regex Ipv4Address();

    [GeneratedRegex(@"Planner__ForwardedHeaders__KnownProxies__\d+:\s*""?([0-9.]+)""?")]
    private static partial Regex KnownProxy();

    [GeneratedRegex(@"Planner__ForwardedHeaders__ForwardLimit:\s*""?(\d+)""?")]
    private static partial Regex ForwardLimit();

    [GeneratedRegex(@"subnet:\s*([0-9./]+)")]
    private static partial Regex Subnet();

    [GeneratedRegex(@"(?s)location [^{]+\{[^}]*\}")]
    private static partial Regex Location();
}
