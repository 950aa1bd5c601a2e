using CommissionPlanner.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommissionPlanner.Data.Configurations;

internal sealed class ProgrammeChangeMarkConfiguration : IEntityTypeConfiguration<ProgrammeChangeMark>
{
    public void Configure(EntityTypeBuilder<ProgrammeChangeMark> builder)
    {
        builder.ToTable("programme_change_marks");
        builder.HasKey(m => m.Id);
        // Ids come from the client (no RETURNING round trip); rows live until the next fold (ProgrammeChanges.FoldAsync).
        builder.Property(m => m.Id).ValueGeneratedNever();
        // Every feed request counts one programme's unfolded marks.
        builder.HasIndex(m => m.ProgrammeId);
    }
}
