using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommissionPlanner.Data.Migrations
{
    /// <summary>
    /// The vehicle and bed exclusion constraints become DEFERRABLE (still checked row by row unless a transaction defers
    /// them): the import, which writes a whole document at once, checks them at commit, so that moving one person's
    /// stays (or one vehicle's transfers) past each other is not refused half-way although the end state is valid.
    /// </summary>
    public partial class DeferrableLogisticsExclusions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE engagements DROP CONSTRAINT ex_engagements_vehicle_time;
                ALTER TABLE engagements ADD CONSTRAINT ex_engagements_vehicle_time
                    EXCLUDE USING gist (vehicle_id WITH =, tstzrange(start_utc, end_utc) WITH &&)
                    WHERE (vehicle_id IS NOT NULL AND status <> 'cancelled')
                    DEFERRABLE INITIALLY IMMEDIATE;
                ALTER TABLE stays DROP CONSTRAINT ex_stays_person_nights;
                ALTER TABLE stays ADD CONSTRAINT ex_stays_person_nights
                    EXCLUDE USING gist (person_id WITH =, daterange(check_in, check_out) WITH &&)
                    DEFERRABLE INITIALLY IMMEDIATE;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE engagements DROP CONSTRAINT ex_engagements_vehicle_time;
                ALTER TABLE engagements ADD CONSTRAINT ex_engagements_vehicle_time
                    EXCLUDE USING gist (vehicle_id WITH =, tstzrange(start_utc, end_utc) WITH &&)
                    WHERE (vehicle_id IS NOT NULL AND status <> 'cancelled');
                ALTER TABLE stays DROP CONSTRAINT ex_stays_person_nights;
                ALTER TABLE stays ADD CONSTRAINT ex_stays_person_nights
                    EXCLUDE USING gist (person_id WITH =, daterange(check_in, check_out) WITH &&);
                """);
        }
    }
}
