using CommissionPlanner.Data.Entities;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Data;

/// <summary>
/// The planner's relational store in PostgreSQL. Grains are the single writers of their aggregates;
/// reports and lists read these tables directly.
/// </summary>
/// <remarks>
/// Add a migration with:
/// <c>dotnet ef migrations add NAME --project src/CommissionPlanner.Data --startup-project src/CommissionPlanner.Data</c>
/// (the design-time factory below supplies a connection string; no database is needed to add one).
/// </remarks>
public sealed class PlannerDbContext(DbContextOptions<PlannerDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core data-protection keys, shared by every silo (cookies and antiforgery tokens made by one verify on all).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();
    public DbSet<ProgrammeRecord> Programmes => Set<ProgrammeRecord>();
    public DbSet<VenueRecord> Venues => Set<VenueRecord>();
    public DbSet<DelegationRecord> Delegations => Set<DelegationRecord>();
    public DbSet<PersonRecord> People => Set<PersonRecord>();
    public DbSet<EngagementRecord> Engagements => Set<EngagementRecord>();
    public DbSet<AttendeeRecord> Attendees => Set<AttendeeRecord>();
    public DbSet<VehicleRecord> Vehicles => Set<VehicleRecord>();
    public DbSet<RoomBlockRecord> RoomBlocks => Set<RoomBlockRecord>();
    public DbSet<StayRecord> Stays => Set<StayRecord>();
    public DbSet<FeedRecord> Feeds => Set<FeedRecord>();
    public DbSet<PersonLogisticsRecord> PersonLogistics => Set<PersonLogisticsRecord>();
    public DbSet<MemberSheetMappingRecord> MemberSheetMappings => Set<MemberSheetMappingRecord>();
    public DbSet<ReplyLinkRecord> ReplyLinks => Set<ReplyLinkRecord>();
    public DbSet<PromotionRecord> Promotions => Set<PromotionRecord>();
    public DbSet<AuditRecord> AuditEntries => Set<AuditRecord>();
    public DbSet<ProgrammeChangeMark> ProgrammeChangeMarks => Set<ProgrammeChangeMark>();
    public DbSet<NotificationRecord> Notifications => Set<NotificationRecord>();
    public DbSet<NotifiedViewRecord> NotifiedViews => Set<NotifiedViewRecord>();
    public DbSet<IdempotentRequestRecord> IdempotentRequests => Set<IdempotentRequestRecord>();
    public DbSet<LanguageChoiceRecord> LanguageChoices => Set<LanguageChoiceRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("btree_gist");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PlannerDbContext).Assembly);
    }
}
