using CommissionPlanner.Domain;
using CommissionPlanner.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CommissionPlanner.Data.Configurations;

internal sealed class ProgrammeConfiguration : IEntityTypeConfiguration<ProgrammeRecord>
{
    public void Configure(EntityTypeBuilder<ProgrammeRecord> builder)
    {
        builder.ToTable("programmes");
        builder.Property(p => p.Name).HasMaxLength(300);
        builder.Property(p => p.NameZh).HasMaxLength(300);
        builder.Property(p => p.ExternalId).HasMaxLength(100);
        builder.Property(p => p.TimeZone).HasMaxLength(64);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.HasIndex(p => p.ExternalId).IsUnique();
        // Each paged list's order is an index, so a page reads its rows and no more (Web/Lists/ListKeys.cs).
        builder.HasIndex(p => new { p.StartDate, p.Name, p.Id });
    }
}

internal sealed class VenueConfiguration : IEntityTypeConfiguration<VenueRecord>
{
    public void Configure(EntityTypeBuilder<VenueRecord> builder)
    {
        builder.ToTable("venues", t =>
        {
            t.HasCheckConstraint("ck_venues_latitude", "latitude BETWEEN -90 AND 90");
            t.HasCheckConstraint("ck_venues_longitude", "longitude BETWEEN -180 AND 180");
            t.HasCheckConstraint("ck_venues_capacity", "capacity IS NULL OR capacity >= 0");
        });
        builder.Property(v => v.ExternalId).HasMaxLength(100);
        builder.Property(v => v.Name).HasMaxLength(300);
        builder.Property(v => v.LocalName).HasMaxLength(300);
        builder.Property(v => v.Address).HasMaxLength(500);
        builder.Property(v => v.City).HasMaxLength(100);
        builder.Property(v => v.Country).HasMaxLength(2).IsFixedLength();
        builder.Property(v => v.TimeZone).HasMaxLength(64);
        builder.Property(v => v.Version).IsConcurrencyToken();
        builder.HasIndex(v => v.ExternalId).IsUnique();
        builder.HasIndex(v => new { v.City, v.Name, v.Id });
    }
}

internal sealed class DelegationConfiguration : IEntityTypeConfiguration<DelegationRecord>
{
    public void Configure(EntityTypeBuilder<DelegationRecord> builder)
    {
        builder.ToTable("delegations");
        builder.Property(d => d.ExternalId).HasMaxLength(100);
        builder.Property(d => d.Name).HasMaxLength(300);
        builder.Property(d => d.Country).HasMaxLength(2).IsFixedLength();
        builder.Property(d => d.Version).IsConcurrencyToken();
        builder.HasOne<ProgrammeRecord>().WithMany().HasForeignKey(d => d.ProgrammeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => new { d.ProgrammeId, d.ExternalId }).IsUnique();
        builder.HasIndex(d => new { d.ProgrammeId, d.CreatedAt, d.Id });
    }
}

internal sealed class MemberSheetMappingConfiguration : IEntityTypeConfiguration<MemberSheetMappingRecord>
{
    public void Configure(EntityTypeBuilder<MemberSheetMappingRecord> builder)
    {
        builder.ToTable("member_sheet_mappings");
        builder.HasKey(m => m.DelegationId);
        builder.Property(m => m.Mapping).HasColumnType("jsonb");
        builder.HasOne<DelegationRecord>().WithOne().HasForeignKey<MemberSheetMappingRecord>(m => m.DelegationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<PersonRecord>
{
    public void Configure(EntityTypeBuilder<PersonRecord> builder)
    {
        builder.ToTable("people");
        builder.Property(p => p.ExternalId).HasMaxLength(100);
        builder.Property(p => p.FullName).HasMaxLength(300);
        builder.Property(p => p.LocalName).HasMaxLength(300);
        builder.Property(p => p.Organisation).HasMaxLength(300);
        builder.Property(p => p.Title).HasMaxLength(300);
        builder.Property(p => p.Email).HasMaxLength(254);
        builder.Property(p => p.Role).HasMaxLength(20).HasWireNames(DelegateRoles.ToWire, DelegateRoles.TryParse);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Property(p => p.Revision).DatabaseOwned();
        builder.Property(p => p.Languages).HasDefaultValueSql("'{}'::text[]");
        builder.Property(p => p.Interprets).HasDefaultValueSql("'{}'::text[]");
        builder.HasOne<DelegationRecord>().WithMany().HasForeignKey(p => p.DelegationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ProgrammeRecord>().WithMany().HasForeignKey(p => p.ProgrammeId).OnDelete(DeleteBehavior.Restrict);
        // The same e-mail twice in one delegation is a mistake the database refuses too.
        builder.HasIndex(p => new { p.DelegationId, p.Email }).IsUnique();
        builder.HasIndex(p => new { p.ProgrammeId, p.ExternalId }).IsUnique();
        builder.HasIndex(p => new { p.DelegationId, p.ProtocolOrder });
    }
}

internal sealed class EngagementConfiguration : IEntityTypeConfiguration<EngagementRecord>
{
    public void Configure(EntityTypeBuilder<EngagementRecord> builder)
    {
        builder.ToTable("engagements", t =>
        {
            t.HasCheckConstraint("ck_engagements_times", "end_utc > start_utc");
            t.HasCheckConstraint("ck_engagements_capacity", "capacity IS NULL OR capacity >= 0");
        });
        builder.Property(e => e.ExternalId).HasMaxLength(100);
        builder.Property(e => e.Kind).HasMaxLength(20).HasWireNames(EngagementKinds.ToWire, EngagementKinds.TryParse);
        builder.Property(e => e.Title).HasMaxLength(300);
        builder.Property(e => e.TitleZh).HasMaxLength(300);
        builder.Property(e => e.DescriptionZh).HasMaxLength(4000);
        builder.Property(e => e.Status).HasMaxLength(20).HasWireNames(EngagementStatuses.ToWire, EngagementStatuses.TryParse);
        builder.Property(e => e.StartZone).HasMaxLength(64);
        builder.Property(e => e.EndZone).HasMaxLength(64);
        builder.Property(e => e.Host).HasMaxLength(300);
        builder.Property(e => e.Description).HasMaxLength(4000);
        builder.Property(e => e.TravelMode).HasMaxLength(20).HasWireNames(TravelModes.ToWire, TravelModes.TryParse);
        builder.Property(e => e.TravelReference).HasMaxLength(200);
        builder.Property(e => e.CancelReason).HasMaxLength(1000);
        builder.Property(e => e.ReviewStatus).HasMaxLength(20).HasWireNames(ReviewStatuses.ToWire, ReviewStatuses.TryParse);
        builder.Property(e => e.ReviewBy).HasMaxLength(300);
        builder.Property(e => e.ReviewNote).HasMaxLength(2000);
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.Property(e => e.Revision).DatabaseOwned();
        builder.Property(e => e.ListRevision).DatabaseOwned();
        builder.HasOne<ProgrammeRecord>().WithMany().HasForeignKey(e => e.ProgrammeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<VenueRecord>().WithMany().HasForeignKey(e => e.FromVenueId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<VenueRecord>().WithMany().HasForeignKey(e => e.ToVenueId).OnDelete(DeleteBehavior.Restrict);
        // No vehicle on two transfers at once: an exclusion constraint added in SQL by the migration Logistics.
        builder.HasOne<VehicleRecord>().WithMany().HasForeignKey(e => e.VehicleId).OnDelete(DeleteBehavior.Restrict);
        // Time order, ending in the id so that a page of the list is a range of it (Web/Lists/ListKeys.cs).
        builder.HasIndex(e => new { e.ProgrammeId, e.StartUtc, e.EndUtc, e.Id });
        builder.HasIndex(e => new { e.ProgrammeId, e.ExternalId }).IsUnique();
    }
}

internal sealed class VehicleConfiguration : IEntityTypeConfiguration<VehicleRecord>
{
    public void Configure(EntityTypeBuilder<VehicleRecord> builder)
    {
        builder.ToTable("vehicles", t => t.HasCheckConstraint("ck_vehicles_seats", "seats BETWEEN 1 AND 100"));
        builder.Property(v => v.ExternalId).HasMaxLength(100);
        builder.Property(v => v.Label).HasMaxLength(100);
        builder.Property(v => v.DriverName).HasMaxLength(300);
        builder.Property(v => v.DriverPhone).HasMaxLength(40);
        builder.Property(v => v.Version).IsConcurrencyToken();
        builder.HasOne<ProgrammeRecord>().WithMany().HasForeignKey(v => v.ProgrammeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(v => new { v.ProgrammeId, v.ExternalId }).IsUnique();
        builder.HasIndex(v => new { v.ProgrammeId, v.Label, v.Id });
    }
}

internal sealed class RoomBlockConfiguration : IEntityTypeConfiguration<RoomBlockRecord>
{
    public void Configure(EntityTypeBuilder<RoomBlockRecord> builder)
    {
        builder.ToTable("room_blocks", t => t.HasCheckConstraint("ck_room_blocks_rooms", "rooms >= 0"));
        builder.HasKey(b => new { b.ProgrammeId, b.HotelId, b.Night });
        builder.HasOne<ProgrammeRecord>().WithMany().HasForeignKey(b => b.ProgrammeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<VenueRecord>().WithMany().HasForeignKey(b => b.HotelId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class StayConfiguration : IEntityTypeConfiguration<StayRecord>
{
    public void Configure(EntityTypeBuilder<StayRecord> builder)
    {
        builder.ToTable("stays", t => t.HasCheckConstraint("ck_stays_nights", "check_out > check_in"));
        builder.Property(s => s.ExternalId).HasMaxLength(100);
        builder.Property(s => s.RoomType).HasMaxLength(20).HasWireNames(RoomTypes.ToWire, RoomTypes.TryParse);
        builder.Property(s => s.Confirmation).HasMaxLength(100);
        builder.Property(s => s.ReviewStatus).HasMaxLength(20).HasWireNames(ReviewStatuses.ToWire, ReviewStatuses.TryParse);
        builder.Property(s => s.ReviewBy).HasMaxLength(300);
        builder.Property(s => s.ReviewNote).HasMaxLength(2000);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.HasOne<ProgrammeRecord>().WithMany().HasForeignKey(s => s.ProgrammeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<PersonRecord>().WithMany().HasForeignKey(s => s.PersonId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<PersonRecord>().WithMany().HasForeignKey(s => s.SharingWithPersonId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<VenueRecord>().WithMany().HasForeignKey(s => s.HotelId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => s.PersonId);
        builder.HasIndex(s => new { s.ProgrammeId, s.HotelId });
        builder.HasIndex(s => new { s.ProgrammeId, s.ExternalId }).IsUnique();
        builder.HasIndex(s => new { s.ProgrammeId, s.CheckIn, s.Id });
        // One bed a night per person: an exclusion constraint on the nights, added in SQL by the migration Logistics.
    }
}

internal sealed class AttendeeConfiguration : IEntityTypeConfiguration<AttendeeRecord>
{
    public void Configure(EntityTypeBuilder<AttendeeRecord> builder)
    {
        builder.ToTable("attendees");
        builder.HasKey(a => new { a.EngagementId, a.PersonId });
        builder.Property(a => a.Role).HasMaxLength(20).HasWireNames(AttendeeRoles.ToWire, AttendeeRoles.TryParse);
        builder.Property(a => a.Response).HasMaxLength(20).HasWireNames(Responses.ToWire, Responses.TryParse);
        builder.Property(a => a.Occupied).HasColumnType("tstzrange");
        builder.HasOne<EngagementRecord>().WithMany().HasForeignKey(a => a.EngagementId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<PersonRecord>().WithMany().HasForeignKey(a => a.PersonId).OnDelete(DeleteBehavior.Restrict);
        // A person's bookings, for the itinerary grain's load and revision check (ItineraryRows). The booking check no
        // longer reads near a time (the grain holds the bookings), so the index on (person_id, occupied) went: one GiST
        // insert less per attendee add. The exclusion constraint keeps its own.
        builder.HasIndex(a => a.PersonId);
        // The exclusion constraint (no person holds two overlapping times) is added in SQL by the migration:
        // EF Core's model has no way to express EXCLUDE USING gist.
    }
}

internal static class RevisionProperties
{
    /// <summary>
    /// A revision column kept by the database's triggers (migration ItineraryRevisions): EF Core never writes it, on
    /// insert or update, so a tracked entity's stale copy can never set it back.
    /// </summary>
    public static PropertyBuilder<long> DatabaseOwned(this PropertyBuilder<long> property)
    {
        property.HasDefaultValue(0L);
        property.Metadata.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
        property.Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
        return property;
    }
}

internal static class WireNameColumns
{
    /// <summary>
    /// A domain enum stored as its wire name (<c>cancelled</c>, not 2): the columns stay readable to reports and to
    /// people, and the application sees only the enum. A name no version of the planner wrote is a corrupted row.
    /// </summary>
    public static PropertyBuilder<TEnum> HasWireNames<TEnum>(this PropertyBuilder<TEnum> property, Func<TEnum, string> toWire, TryParse<TEnum> tryParse)
        where TEnum : struct, Enum =>
        property.HasConversion(Converter(toWire, tryParse));

    /// <summary>The same for an optional enum: EF Core never hands the converter a null, so NULL stays NULL.</summary>
    public static PropertyBuilder<TEnum?> HasWireNames<TEnum>(this PropertyBuilder<TEnum?> property, Func<TEnum, string> toWire, TryParse<TEnum> tryParse)
        where TEnum : struct, Enum =>
        property.HasConversion(Converter(toWire, tryParse));

    private static ValueConverter<TEnum, string> Converter<TEnum>(Func<TEnum, string> toWire, TryParse<TEnum> tryParse)
        where TEnum : struct, Enum
    {
        Func<string, TEnum> fromWire = wire =>
            tryParse(wire, out var value) ? value : throw new InvalidOperationException($"'{wire}' is not a stored {typeof(TEnum).Name}.");
        return new ValueConverter<TEnum, string>(value => toWire(value), wire => fromWire(wire));
    }

    public delegate bool TryParse<TEnum>(string? wire, out TEnum value);
}
