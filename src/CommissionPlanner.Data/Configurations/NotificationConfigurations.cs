using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommissionPlanner.Data.Configurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<NotificationRecord>
{
    public void Configure(EntityTypeBuilder<NotificationRecord> builder)
    {
        builder.ToTable("notifications");
        builder.Property(n => n.Status).HasMaxLength(20).HasWireNames(NotificationStatuses.ToWire, NotificationStatuses.TryParse);
        builder.Property(n => n.Email).HasMaxLength(254);
        builder.Property(n => n.Subject).HasMaxLength(1000);
        builder.Property(n => n.MessageId).HasMaxLength(200);
        builder.Property(n => n.LeaseOwner).HasMaxLength(200);
        builder.Property(n => n.ServerResponse).HasMaxLength(1000);
        builder.Property(n => n.Error).HasMaxLength(2000);
        builder.Property(n => n.CreatedAt).HasDefaultValueSql("now()");
        builder.HasOne<ProgrammeRecord>().WithMany().HasForeignKey(n => n.ProgrammeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<PersonRecord>().WithMany().HasForeignKey(n => n.PersonId).OnDelete(DeleteBehavior.Cascade);
        // One collecting notification per person and programme: the database's triggers add to it (ON CONFLICT).
        builder.HasIndex(n => new { n.ProgrammeId, n.PersonId }).IsUnique().HasFilter("status = 'queued'")
            .HasDatabaseName("ux_notifications_collecting");
        // The sender's scans: what is due, oldest first.
        builder.HasIndex(n => new { n.Status, n.CreatedAt }).HasFilter("status IN ('queued', 'ready')")
            .HasDatabaseName("ix_notifications_pending");
        // The list, newest first, ending in the id so that a page is a range of it (Web/Lists/ListKeys.cs).
        builder.HasIndex(n => new { n.ProgrammeId, n.CreatedAt, n.Id });
    }
}

internal sealed class NotifiedViewConfiguration : IEntityTypeConfiguration<NotifiedViewRecord>
{
    public void Configure(EntityTypeBuilder<NotifiedViewRecord> builder)
    {
        builder.ToTable("notified_views");
        builder.HasKey(v => new { v.PersonId, v.EngagementId });
        builder.Property(v => v.View).HasColumnType("jsonb");
        builder.HasOne<PersonRecord>().WithMany().HasForeignKey(v => v.PersonId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<EngagementRecord>().WithMany().HasForeignKey(v => v.EngagementId).OnDelete(DeleteBehavior.Cascade);
    }
}
