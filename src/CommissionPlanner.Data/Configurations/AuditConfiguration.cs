using CommissionPlanner.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommissionPlanner.Data.Configurations;

internal sealed class AuditConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> builder)
    {
        builder.ToTable("audit_entries");
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.Actor).HasMaxLength(300);
        builder.Property(a => a.ClientAddress).HasMaxLength(64);
        builder.Property(a => a.EntityType).HasMaxLength(40);
        builder.Property(a => a.Action).HasMaxLength(60);
        builder.Property(a => a.Before).HasColumnType("jsonb");
        builder.Property(a => a.After).HasColumnType("jsonb");
        builder.HasIndex(a => new { a.EntityType, a.EntityId, a.At });
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => new { a.ProgrammeId, a.At });
        // Append-only is enforced in SQL by the migration (a trigger and revoked privileges).
    }
}
