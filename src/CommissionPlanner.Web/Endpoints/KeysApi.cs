using CommissionPlanner.Web.Operations;
using System.Security.Claims;
using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Hosting;
using CommissionPlanner.Web.Security;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CommissionPlanner.Web.Endpoints;

public sealed record CreateKeyRequest(string? Name, string? Role, Guid? PersonId);

/// <summary>A key as listed: never the secret.</summary>
public sealed record KeyResource(Guid Id, string Name, string Role, Guid? PersonId, string Prefix, Instant CreatedAt, Instant? RevokedAt);

/// <summary>The answer to a create: the only time the secret is shown.</summary>
public sealed record CreatedKeyResource(Guid Id, string Key, string Name, string Role, Guid? PersonId, string Prefix, Instant CreatedAt);

public static class KeysApi
{
    public static RouteGroupBuilder MapKeysApi(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/keys").WithTags("Keys").RequireAuthorization(Policies.Admin);
        keys.MapPost("/", CreateKey).WithName("CreateKey").WithMetadata(OneTimeSecretAnswer.Instance).WithSummary("Create an API key; the secret is shown once.");
        keys.MapGet("/", ListKeys).WithName("ListKeys").WithSummary($"List API keys (without secrets) in the order they were made; {ProgrammesApi.PagedBy}");
        keys.MapDelete("/{id}", RevokeKey).WithName("RevokeKey").WithSummary("Revoke an API key.");
        return api;
    }

    private static async Task<IResult> CreateKey(
        CreateKeyRequest? request, IDbContextFactory<PlannerDbContext> dbFactory, IClock clock, ClaimsPrincipal user,
        HttpContext http, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return Problems.BadRequest("body", "A JSON body {name, role, personId?} is required.");
        }

        var errors = new FieldErrors();
        var name = errors.Required("name", request.Name, 200);
        var role = request.Role?.Trim();
        if (string.IsNullOrEmpty(role) || !Roles.All.Contains(role))
        {
            errors.Add("role", $"'role' must be one of: {string.Join(", ", Roles.All)}.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (role == Roles.Delegate)
        {
            if (request.PersonId is not { } personId)
            {
                errors.Add("personId", "A delegate key must name the person it belongs to ('personId').");
            }
            else if (!await PersonExists(db, personId, cancellationToken))
            {
                errors.Add("personId", "No person with this id exists.");
            }
        }
        else if (request.PersonId is not null)
        {
            errors.Add("personId", "Only delegate keys are bound to a person.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var secret = ApiKeySecrets.NewKey();
        var record = new ApiKeyRecord
        {
            Id = Guid.CreateVersion7(),
            Name = name!,
            Role = role!,
            PersonId = request.PersonId,
            SecretHash = ApiKeySecrets.Hash(secret),
            Prefix = ApiKeySecrets.DisplayPrefix(secret),
            CreatedAt = clock.GetCurrentInstant(),
        };
        db.ApiKeys.Add(record);
        db.Audit(http.ToChangeActor(), record.CreatedAt, "key", record.Id, null, "created", null, KeySnapshot(record));
        await db.SaveChangesAsync(cancellationToken);
        Log.KeyCreated(loggers.CreateLogger(typeof(KeysApi)), record.Id, record.Role, user.Actor());

        return TypedResults.Created($"/api/keys/{record.Id}",
            new CreatedKeyResource(record.Id, secret, record.Name, record.Role, record.PersonId, record.Prefix, record.CreatedAt));
    }

    private static async Task<IResult> ListKeys(
        int? limit, string? cursor, HttpContext http, IDbContextFactory<PlannerDbContext> dbFactory, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var page = Lists.Paging.ParseKeyset<Lists.CreatedKey>(limit, cursor, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.ApiKeys.AsNoTracking();
        if (page?.After is { } after)
        {
            query = query.Where(k => EF.Functions.GreaterThan(ValueTuple.Create(k.CreatedAt, k.Id), ValueTuple.Create(after.CreatedAt, after.Id)));
        }

        var keys = await Lists.Paging.Take(query.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id), page)
            .Select(k => new KeyResource(k.Id, k.Name, k.Role, k.PersonId, k.Prefix, k.CreatedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);
        var next = Lists.Paging.Cut(keys, page, k => new Lists.CreatedKey(k.CreatedAt, k.Id));
        return TypedResults.Ok(Lists.Paging.Answer(http, Lists.Paging.Result(keys, page, next)));
    }

    private static async Task<IResult> RevokeKey(
        string id, IDbContextFactory<PlannerDbContext> dbFactory, IClock clock, ClaimsPrincipal user,
        HttpContext http, ILoggerFactory loggers, ApiKeyLookup lookup, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var keyId))
        {
            return Problems.NotFound("key");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId, cancellationToken);
        if (key is null)
        {
            return Problems.NotFound("key");
        }

        // Revoking twice is harmless: the key stays revoked as of the first time.
        if (key.RevokedAt is null)
        {
            var before = KeySnapshot(key);
            key.RevokedAt = clock.GetCurrentInstant();
            db.Audit(http.ToChangeActor(), key.RevokedAt.Value, "key", key.Id, null, "revoked", before, KeySnapshot(key));
        }

        await db.SaveChangesAsync(cancellationToken);
        lookup.Forget();
        Log.KeyRevoked(loggers.CreateLogger(typeof(KeysApi)), key.Id, user.Actor());
        return TypedResults.NoContent();
    }

    /// <summary>What the audit keeps of a key: never its hash.</summary>
    private static string KeySnapshot(ApiKeyRecord key) =>
        AuditTrail.Snapshot(new { key.Name, key.Role, key.PersonId, key.Prefix, key.CreatedAt, key.RevokedAt });

    private static Task<bool> PersonExists(PlannerDbContext db, Guid personId, CancellationToken cancellationToken) =>
        db.People.AnyAsync(p => p.Id == personId, cancellationToken);
}
