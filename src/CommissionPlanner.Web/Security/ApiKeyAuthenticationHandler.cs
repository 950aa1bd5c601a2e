using System.Security.Claims;
using System.Text.Encodings.Web;
using CommissionPlanner.Data;
using CommissionPlanner.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommissionPlanner.Web.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;api key&gt;</c>: the bootstrap admin key from configuration,
/// or a key from the <c>api_keys</c> table looked up by its hash. Keys are never logged.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<PlannerOptions> plannerOptions,
    IDbContextFactory<PlannerDbContext> dbFactory) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>The fixed id the bootstrap key carries, so audit entries can name it.</summary>
    public static readonly Guid BootstrapKeyId = Guid.Empty;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>'.");
        }

        var key = header["Bearer ".Length..].Trim();
        if (key.Length is 0 or > 200)
        {
            return AuthenticateResult.Fail("Unknown API key.");
        }

        var hash = ApiKeySecrets.Hash(key);
        var bootstrap = plannerOptions.CurrentValue.BootstrapAdminKey;
        if (!string.IsNullOrEmpty(bootstrap) && ApiKeySecrets.HashesEqual(hash, ApiKeySecrets.Hash(bootstrap)))
        {
            return Success(BootstrapKeyId, "bootstrap admin key", Roles.Admin, personId: null);
        }

        await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
        var stored = await db.ApiKeys.AsNoTracking()
            .Where(k => k.SecretHash == hash && k.RevokedAt == null)
            .Select(k => new { k.Id, k.Name, k.Role, k.PersonId })
            .SingleOrDefaultAsync(Context.RequestAborted);

        return stored is null
            ? AuthenticateResult.Fail("Unknown API key.")
            : Success(stored.Id, stored.Name, stored.Role, stored.PersonId);
    }

    private static AuthenticateResult Success(Guid keyId, string name, string role, Guid? personId)
    {
        var claims = new List<Claim>
        {
            new(PlannerClaims.KeyId, keyId.ToString()),
            new(ClaimTypes.Name, name),
            new(ClaimTypes.Role, role),
        };
        if (personId is { } person)
        {
            claims.Add(new Claim(PlannerClaims.PersonId, person.ToString()));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
            "Send an API key as 'Authorization: Bearer <key>'. Unknown and revoked keys are refused.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "Your key's role does not allow this request.");

    private Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        return Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}
