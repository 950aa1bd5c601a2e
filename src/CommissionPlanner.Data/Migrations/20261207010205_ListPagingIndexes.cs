using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommissionPlanner.Data.Migrations
{
    /// <inheritdoc />
    public partial class ListPagingIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_notifications_programme_id_created_at",
                table: "notifications");

            migrationBuilder.DropIndex(
                name: "ix_engagements_programme_id_start_utc",
                table: "engagements");

            migrationBuilder.CreateIndex(
                name: "ix_venues_city_name_id",
                table: "venues",
                columns: new[] { "city", "name", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_vehicles_programme_id_label_id",
                table: "vehicles",
                columns: new[] { "programme_id", "label", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_stays_programme_id_check_in_id",
                table: "stays",
                columns: new[] { "programme_id", "check_in", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_promotions_engagement_id_id",
                table: "promotions",
                columns: new[] { "engagement_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_programmes_start_date_name_id",
                table: "programmes",
                columns: new[] { "start_date", "name", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_notifications_programme_id_created_at_id",
                table: "notifications",
                columns: new[] { "programme_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_feeds_created_at_id",
                table: "feeds",
                columns: new[] { "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_engagements_programme_id_start_utc_end_utc_id",
                table: "engagements",
                columns: new[] { "programme_id", "start_utc", "end_utc", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_delegations_programme_id_created_at_id",
                table: "delegations",
                columns: new[] { "programme_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_created_at_id",
                table: "api_keys",
                columns: new[] { "created_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_venues_city_name_id",
                table: "venues");

            migrationBuilder.DropIndex(
                name: "ix_vehicles_programme_id_label_id",
                table: "vehicles");

            migrationBuilder.DropIndex(
                name: "ix_stays_programme_id_check_in_id",
                table: "stays");

            migrationBuilder.DropIndex(
                name: "ix_promotions_engagement_id_id",
                table: "promotions");

            migrationBuilder.DropIndex(
                name: "ix_programmes_start_date_name_id",
                table: "programmes");

            migrationBuilder.DropIndex(
                name: "ix_notifications_programme_id_created_at_id",
                table: "notifications");

            migrationBuilder.DropIndex(
                name: "ix_feeds_created_at_id",
                table: "feeds");

            migrationBuilder.DropIndex(
                name: "ix_engagements_programme_id_start_utc_end_utc_id",
                table: "engagements");

            migrationBuilder.DropIndex(
                name: "ix_delegations_programme_id_created_at_id",
                table: "delegations");

            migrationBuilder.DropIndex(
                name: "ix_api_keys_created_at_id",
                table: "api_keys");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_programme_id_created_at",
                table: "notifications",
                columns: new[] { "programme_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_engagements_programme_id_start_utc",
                table: "engagements",
                columns: new[] { "programme_id", "start_utc" });
        }
    }
}
