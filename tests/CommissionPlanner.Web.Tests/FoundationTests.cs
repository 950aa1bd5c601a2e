using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommissionPlanner.Web.Tests.Infrastructure;

namespace CommissionPlanner.Web.Tests;

public sealed class FoundationTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_endpoints_answer_without_a_key_and_ready_means_database_and_silo()
    {
        using var client = fixture.App.CreateClient();
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), Cancel);
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    /// <summary>Program.cs sets it before the host is built: a blocking gen2 paused a loaded silo for 0.3 s (docs/performance.md).</summary>
    [Fact]
    public async Task A_started_planner_asks_the_collector_for_background_gen2_collections_only()
    {
        using var client = fixture.App.CreateClient();
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(System.Runtime.GCLatencyMode.SustainedLowLatency, System.Runtime.GCSettings.LatencyMode);
    }

    [Fact]
    public async Task An_api_request_without_a_key_gets_401_problem_details()
    {
        using var client = fixture.App.CreateClient();
        using var response = await client.GetAsync(new Uri("/api/keys", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_browser_asking_only_for_html_still_gets_a_401_problem_not_a_500()
    {
        using var client = fixture.App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/keys", UriKind.Relative));
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await client.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_key_gets_401()
    {
        using var client = fixture.App.ClientWithKey("cpk_not-a-real-key");
        using var response = await client.GetAsync(new Uri("/api/keys", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_viewer_key_on_a_write_gets_403_and_a_revoked_key_gets_401()
    {
        using var admin = fixture.App.AdminClient();
        var viewerKey = await CreateKey(admin, "viewer for test", "viewer");

        using var viewer = fixture.App.ClientWithKey(viewerKey.Key);
        using var write = await viewer.PostAsJsonAsync("/api/keys", new { name = "sneaky", role = "admin" }, Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal("application/problem+json", write.Content.Headers.ContentType?.MediaType);

        using var revoke = await admin.DeleteAsync(new Uri($"/api/keys/{viewerKey.Id}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        using var afterRevoke = await viewer.GetAsync(new Uri("/api/keys", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
    }

    [Fact]
    public async Task A_created_key_is_shown_once_and_stored_only_as_a_hash()
    {
        using var admin = fixture.App.AdminClient();
        var created = await CreateKey(admin, "organiser key", "organiser");
        Assert.StartsWith("cpk_", created.Key, StringComparison.Ordinal);

        var listed = await admin.GetStringAsync(new Uri("/api/keys", UriKind.Relative), Cancel);
        Assert.DoesNotContain(created.Key, listed, StringComparison.Ordinal);

        await using var connection = new Npgsql.NpgsqlConnection(fixture.App.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM api_keys WHERE encode(secret_hash, 'escape') LIKE '%' || @k || '%' OR prefix = @k", connection);
        command.Parameters.AddWithValue("k", created.Key);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync(Cancel))!);
    }

    [Theory]
    [InlineData("{\"name\": \"x\", \"role\": \"emperor\"}", "role")]
    [InlineData("{\"role\": \"viewer\"}", "name")]
    [InlineData("{\"name\": \"x\", \"role\": \"delegate\"}", "personId")]
    public async Task Creating_a_key_with_bad_fields_names_the_field(string body, string field)
    {
        using var admin = fixture.App.AdminClient();
        using var response = await admin.PostAsync(new Uri("/api/keys", UriKind.Relative),
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Malformed_json_gets_400_problem_details_not_500()
    {
        using var admin = fixture.App.AdminClient();
        using var response = await admin.PostAsync(new Uri("/api/keys", UriKind.Relative),
            new StringContent("{\"name\": ", System.Text.Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Revoking_an_unknown_or_malformed_key_id_is_404()
    {
        using var admin = fixture.App.AdminClient();
        using var unknown = await admin.DeleteAsync(new Uri($"/api/keys/{Guid.NewGuid()}", UriKind.Relative), Cancel);
        using var malformed = await admin.DeleteAsync(new Uri("/api/keys/not-a-uuid", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_is_published()
    {
        using var client = fixture.App.CreateClient();
        var document = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancel);
        Assert.Contains("/api/keys", document, StringComparison.Ordinal);
    }

    private sealed record CreatedKey(Guid Id, string Key);

    private static async Task<CreatedKey> CreateKey(HttpClient admin, string name, string role)
    {
        using var response = await admin.PostAsJsonAsync("/api/keys", new { name, role }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotNull(response.Headers.Location);
        return (await response.Content.ReadFromJsonAsync<CreatedKey>(Cancel))!;
    }
}
