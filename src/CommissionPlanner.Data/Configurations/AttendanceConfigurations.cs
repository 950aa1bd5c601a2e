using CommissionPlanner.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommissionPlanner.Data.Configurations;

internal sealed class PersonLogisticsConfiguration : IEntityTypeConfiguration<PersonLogisticsRecord>
{
    public void Configure(EntityTypeBuilder<PersonLogisticsRecord> builder)
    {
        builder.ToTable("person_logistics");
        builder.HasKey(l => l.PersonId);
        builder.Property(l => l.Dietary).HasMaxLength(500);
        builder.Property(l => l.Accessibility).HasMaxLength(500);
        builder.Property(l => l.InterpreterLanguage).HasMaxLength(100);
        builder.Property(l => l.Nationality).HasMaxLength(2).IsFixedLength();
        builder.Property(l => l.SecurityClearance).HasMaxLength(100);
        builder.Property(l => l.UpdatedBy).HasMaxLength(300);
        builder.Property(l => l.Version).IsConcurrencyToken();
        builder.HasOne<PersonRecord>().WithOne().HasForeignKey<PersonLogisticsRecord>(l => l.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReplyLinkConfiguration : IEntityTypeConfiguration<ReplyLinkRecord>
{
    public void Configure(EntityTypeBuilder<ReplyLinkRecord> builder)
    {
        builder.ToTable("reply_links");
        builder.Property(r => r.CreatedBy).HasMaxLength(300);
        builder.HasIndex(r => r.TokenHash).IsUnique();
        builder.HasIndex(r => new { r.EngagementId, r.PersonId });
        builder.HasOne<EngagementRecord>().WithMany().HasForeignKey(r => r.EngagementId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<PersonRecord>().WithMany().HasForeignKey(r => r.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PromotionConfiguration : IEntityTypeConfiguration<PromotionRecord>
{
    public void Configure(EntityTypeBuilder<PromotionRecord> builder)
    {
        builder.ToTable("promotions");
        builder.Property(p => p.Id).UseIdentityAlwaysColumn();
        builder.Property(p => p.Reason).HasMaxLength(200);
        builder.HasIndex(p => new { p.EngagementId, p.PromotedAt });
        // GET /api/engagements/{id}/promotions lists them by id, a page at a time.
        builder.HasIndex(p => new { p.EngagementId, p.Id });
        builder.HasOne<EngagementRecord>().WithMany().HasForeignKey(p => p.EngagementId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<PersonRecord>().WithMany().HasForeignKey(p => p.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
