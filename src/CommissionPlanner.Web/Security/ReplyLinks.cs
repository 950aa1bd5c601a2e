using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CommissionPlanner.Web.Security;

/// <summary>
/// Issuing a person's reply link to one engagement, for <c>POST …/reply-link</c> and for the notification e-mails alike:
/// their earlier live link is revoked (only the newest answers), the token exists only in what is handed out, and the
/// link is audited. Staged in the caller's unit of work.
/// </summary>
public static class ReplyLinks
{
    /// <summary>Stages the new link; returns it and its token (the secret part of <c>/reply/{token}</c>).</summary>
    public static async Task<(ReplyLinkRecord Link, string Token)> IssueAsync(
        PlannerDbContext db, Guid engagementId, Guid personId, Guid? programmeId, ChangeActor actor, string createdBy, Instant now,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        foreach (var old in await db.ReplyLinks.Where(r => r.EngagementId == engagementId && r.PersonId == personId && r.RevokedAt == null).ToListAsync(ct))
        {
            old.RevokedAt = now;
        }

        var token = UrlTokens.NewToken();
        var link = new ReplyLinkRecord
        {
            Id = Guid.CreateVersion7(), EngagementId = engagementId, PersonId = personId, TokenHash = UrlTokens.Hash(token),
            CreatedAt = now, CreatedBy = createdBy,
        };
        db.ReplyLinks.Add(link);
        db.Audit(actor, now, "reply-link", link.Id, programmeId, "created", null,
            AuditTrail.Snapshot(new { link.Id, link.EngagementId, link.PersonId }));
        return (link, token);
    }
}
