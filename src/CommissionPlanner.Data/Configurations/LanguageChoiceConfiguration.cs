using CommissionPlanner.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommissionPlanner.Data.Configurations;

internal sealed class LanguageChoiceConfiguration : IEntityTypeConfiguration<LanguageChoiceRecord>
{
    public void Configure(EntityTypeBuilder<LanguageChoiceRecord> builder)
    {
        builder.ToTable("language_choices", table => table.HasCheckConstraint("ck_language_choices_language", "language in ('en', 'zh')"));
        builder.HasKey(c => c.Holder);
        builder.Property(c => c.Holder).HasMaxLength(300);
        builder.Property(c => c.Language).HasMaxLength(8);
    }
}
