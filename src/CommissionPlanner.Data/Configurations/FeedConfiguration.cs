using CommissionPlanner.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommissionPlanner.Data.Configurations;

internal sealed class FeedConfiguration : IEntityTypeConfiguration<FeedRecord>
{
    public void Configure(EntityTypeBuilder<FeedRecord> builder)
    {
        builder.ToTable("feeds");
        builder.Property(f => f.Scope).HasMaxLength(20);
        builder.Property(f => f.Detail).HasMaxLength(10);
        builder.Property(f => f.Language).HasMaxLength(4).HasDefaultValue("en");
        builder.Property(f => f.CreatedBy).HasMaxLength(300);
        builder.Property(f => f.LastUserAgent).HasMaxLength(300);
        builder.Property(f => f.ContentTag).HasMaxLength(64);
        builder.HasIndex(f => f.TokenHash).IsUnique();
        builder.HasIndex(f => new { f.Scope, f.SubjectId });
        // GET /api/feeds in the order they were made, a page at a time (Web/Lists/ListKeys.cs).
        builder.HasIndex(f => new { f.CreatedAt, f.Id });
        builder.HasOne<ProgrammeRecord>().WithMany().HasForeignKey(f => f.ProgrammeId).OnDelete(DeleteBehavior.Restrict);
    }
}
