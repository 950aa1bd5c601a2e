using CommissionPlanner.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommissionPlanner.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKeyRecord>
{
    public void Configure(EntityTypeBuilder<ApiKeyRecord> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Name).HasMaxLength(200);
        builder.Property(k => k.Role).HasMaxLength(20);
        builder.Property(k => k.Prefix).HasMaxLength(16);
        // Look-ups go by hash; a hash collision between two keys would be a bug, so make it impossible.
        builder.HasIndex(k => k.SecretHash).IsUnique();
        // GET /api/keys in the order they were made, a page at a time: every delegate may have a key (Web/Lists/ListKeys.cs).
        builder.HasIndex(k => new { k.CreatedAt, k.Id });
    }
}
