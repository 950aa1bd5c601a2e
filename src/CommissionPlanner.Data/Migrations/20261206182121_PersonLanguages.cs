using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommissionPlanner.Data.Migrations
{
    /// <inheritdoc />
    public partial class PersonLanguages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "interprets",
                table: "people",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<List<string>>(
                name: "languages",
                table: "people",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            // Whether an engagement's attendees can follow each other depends on their languages as much as on who is on
            // the list, so a change of someone's languages moves the list revision of every engagement they are on: an
            // itinerary holding one of those bookings sees it stale, and an engagement grain's claim on its list fails.
            migrationBuilder.Sql("""
                CREATE FUNCTION people_languages_touch_lists() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE engagements SET list_revision = list_revision + 1
                        WHERE id IN (SELECT engagement_id FROM attendees WHERE person_id = NEW.id);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER tr_people_languages_touch_lists AFTER UPDATE OF languages, interprets ON people
                    FOR EACH ROW WHEN (NEW.languages IS DISTINCT FROM OLD.languages OR NEW.interprets IS DISTINCT FROM OLD.interprets)
                    EXECUTE FUNCTION people_languages_touch_lists();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER tr_people_languages_touch_lists ON people;
                DROP FUNCTION people_languages_touch_lists();
                """);

            migrationBuilder.DropColumn(
                name: "interprets",
                table: "people");

            migrationBuilder.DropColumn(
                name: "languages",
                table: "people");
        }
    }
}
