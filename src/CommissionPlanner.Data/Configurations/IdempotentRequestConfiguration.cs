using CommissionPlanner.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommissionPlanner.Data.Configurations;

internal sealed class IdempotentRequestConfiguration : IEntityTypeConfiguration<IdempotentRequestRecord>
{
    public void Configure(EntityTypeBuilder<IdempotentRequestRecord> builder)
    {
        builder.ToTable("idempotent_requests");
        builder.HasKey(r => new { r.Scope, r.Key });
        builder.Property(r => r.Scope).HasMaxLength(400);
        builder.Property(r => r.Key).HasMaxLength(Domain.Changes.IdempotentRetries.MaxKeyLength);
        builder.Property(r => r.ClaimedBy).HasMaxLength(200);
        builder.Property(r => r.AnswerContentType).HasMaxLength(200);
        builder.Property(r => r.AnswerLocation).HasMaxLength(400);
        // The trigger on audit_entries finds the request by its claim.
        builder.HasIndex(r => r.Claim).IsUnique();
        // The daily sweep.
        builder.HasIndex(r => r.ClaimedAt);
    }
}
