using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommissionPlanner.Data.Migrations
{
    /// <inheritdoc />
    public partial class ItineraryRevisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_attendees_person_id_occupied",
                table: "attendees");

            migrationBuilder.AddColumn<long>(
                name: "revision",
                table: "people",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "list_revision",
                table: "engagements",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "revision",
                table: "engagements",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Revisions are kept here, in the database, because every writer of these rows (the grains, the import, a
            // repair by hand) goes through it: none can forget. An engagement's revision goes up when its row or one of
            // its venues changes; its list revision when its attendee list changes (statement-level: an import adding a
            // thousand attendees raises each engagement's once per statement, not once per row). A person's revision
            // goes up with their row. Itinerary grains compare revisions to know whether what they hold is current.
            migrationBuilder.Sql("""
                CREATE FUNCTION revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.revision := OLD.revision + 1;
                    RETURN NEW;
                END
                $$;
                -- An update that raises list_revision is the attendee triggers' touch, not a change of the engagement.
                CREATE FUNCTION engagements_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.list_revision = OLD.list_revision THEN
                        NEW.revision := OLD.revision + 1;
                    END IF;
                    RETURN NEW;
                END
                $$;
                CREATE TRIGGER tr_engagements_revision BEFORE UPDATE ON engagements
                    FOR EACH ROW EXECUTE FUNCTION engagements_revision_bump();
                CREATE TRIGGER tr_people_revision BEFORE UPDATE ON people
                    FOR EACH ROW EXECUTE FUNCTION revision_bump();

                CREATE FUNCTION attendees_touch_engagements() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        UPDATE engagements SET list_revision = list_revision + 1 WHERE id IN (SELECT DISTINCT engagement_id FROM old_rows);
                    ELSE
                        UPDATE engagements SET list_revision = list_revision + 1 WHERE id IN (SELECT DISTINCT engagement_id FROM new_rows);
                    END IF;
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER tr_attendees_insert_touch AFTER INSERT ON attendees
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attendees_touch_engagements();
                CREATE TRIGGER tr_attendees_update_touch AFTER UPDATE ON attendees
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attendees_touch_engagements();
                CREATE TRIGGER tr_attendees_delete_touch AFTER DELETE ON attendees
                    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attendees_touch_engagements();

                CREATE FUNCTION venues_touch_engagements() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- The engagements' own trigger raises their revision.
                    UPDATE engagements SET revision = revision WHERE from_venue_id = NEW.id OR to_venue_id = NEW.id;
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER tr_venues_touch_engagements AFTER UPDATE ON venues
                    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION venues_touch_engagements();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER tr_venues_touch_engagements ON venues;
                DROP FUNCTION venues_touch_engagements();
                DROP TRIGGER tr_attendees_insert_touch ON attendees;
                DROP TRIGGER tr_attendees_update_touch ON attendees;
                DROP TRIGGER tr_attendees_delete_touch ON attendees;
                DROP FUNCTION attendees_touch_engagements();
                DROP TRIGGER tr_engagements_revision ON engagements;
                DROP FUNCTION engagements_revision_bump();
                DROP TRIGGER tr_people_revision ON people;
                DROP FUNCTION revision_bump();
                """);

            migrationBuilder.DropColumn(
                name: "revision",
                table: "people");

            migrationBuilder.DropColumn(
                name: "list_revision",
                table: "engagements");

            migrationBuilder.DropColumn(
                name: "revision",
                table: "engagements");

            migrationBuilder.CreateIndex(
                name: "ix_attendees_person_id_occupied",
                table: "attendees",
                columns: new[] { "person_id", "occupied" })
                .Annotation("Npgsql:IndexMethod", "gist");
        }
    }
}
