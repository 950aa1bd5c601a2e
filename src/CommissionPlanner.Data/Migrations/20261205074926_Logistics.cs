using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace CommissionPlanner.Data.Migrations
{
    /// <inheritdoc />
    public partial class Logistics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "vehicle_id",
                table: "engagements",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "room_blocks",
                columns: table => new
                {
                    programme_id = table.Column<Guid>(type: "uuid", nullable: false),
                    hotel_id = table.Column<Guid>(type: "uuid", nullable: false),
                    night = table.Column<LocalDate>(type: "date", nullable: false),
                    rooms = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_room_blocks", x => new { x.programme_id, x.hotel_id, x.night });
                    table.CheckConstraint("ck_room_blocks_rooms", "rooms >= 0");
                    table.ForeignKey(
                        name: "fk_room_blocks_programmes_programme_id",
                        column: x => x.programme_id,
                        principalTable: "programmes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_room_blocks_venues_hotel_id",
                        column: x => x.hotel_id,
                        principalTable: "venues",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "stays",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    programme_id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    hotel_id = table.Column<Guid>(type: "uuid", nullable: false),
                    external_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    check_in = table.Column<LocalDate>(type: "date", nullable: false),
                    check_out = table.Column<LocalDate>(type: "date", nullable: false),
                    room_type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    sharing_with_person_id = table.Column<Guid>(type: "uuid", nullable: true),
                    confirmation = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    review_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    review_by = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    review_at = table.Column<Instant>(type: "timestamp with time zone", nullable: true),
                    review_note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stays", x => x.id);
                    table.CheckConstraint("ck_stays_nights", "check_out > check_in");
                    table.ForeignKey(
                        name: "fk_stays_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_stays_people_sharing_with_person_id",
                        column: x => x.sharing_with_person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_stays_programmes_programme_id",
                        column: x => x.programme_id,
                        principalTable: "programmes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_stays_venues_hotel_id",
                        column: x => x.hotel_id,
                        principalTable: "venues",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "vehicles",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    programme_id = table.Column<Guid>(type: "uuid", nullable: false),
                    external_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    label = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    seats = table.Column<int>(type: "integer", nullable: false),
                    driver_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    driver_phone = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_vehicles", x => x.id);
                    table.CheckConstraint("ck_vehicles_seats", "seats BETWEEN 1 AND 100");
                    table.ForeignKey(
                        name: "fk_vehicles_programmes_programme_id",
                        column: x => x.programme_id,
                        principalTable: "programmes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_engagements_vehicle_id",
                table: "engagements",
                column: "vehicle_id");

            migrationBuilder.CreateIndex(
                name: "ix_room_blocks_hotel_id",
                table: "room_blocks",
                column: "hotel_id");

            migrationBuilder.CreateIndex(
                name: "ix_stays_hotel_id",
                table: "stays",
                column: "hotel_id");

            migrationBuilder.CreateIndex(
                name: "ix_stays_person_id",
                table: "stays",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_stays_programme_id_external_id",
                table: "stays",
                columns: new[] { "programme_id", "external_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_stays_programme_id_hotel_id",
                table: "stays",
                columns: new[] { "programme_id", "hotel_id" });

            migrationBuilder.CreateIndex(
                name: "ix_stays_sharing_with_person_id",
                table: "stays",
                column: "sharing_with_person_id");

            migrationBuilder.CreateIndex(
                name: "ix_vehicles_programme_id_external_id",
                table: "vehicles",
                columns: new[] { "programme_id", "external_id" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_engagements_vehicles_vehicle_id",
                table: "engagements",
                column: "vehicle_id",
                principalTable: "vehicles",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // No vehicle on two transfers at once, and no person in two beds a night: the database's last word behind the
            // vehicle grain's and the accommodation grain's checks. A stay changing (or a vehicle) also moves the revisions
            // itineraries compare: a person's stays are part of their itinerary, a vehicle's seats part of its transfers.
            migrationBuilder.Sql("""
                ALTER TABLE engagements ADD CONSTRAINT ex_engagements_vehicle_time
                    EXCLUDE USING gist (vehicle_id WITH =, tstzrange(start_utc, end_utc) WITH &&)
                    WHERE (vehicle_id IS NOT NULL AND status <> 'cancelled');
                ALTER TABLE stays ADD CONSTRAINT ex_stays_person_nights
                    EXCLUDE USING gist (person_id WITH =, daterange(check_in, check_out) WITH &&);

                CREATE FUNCTION stays_touch_people() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- The people's own trigger raises their revision.
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN
                        UPDATE people SET revision = revision WHERE id = OLD.person_id;
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.person_id <> OLD.person_id) THEN
                        UPDATE people SET revision = revision WHERE id = NEW.person_id;
                    END IF;
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER tr_stays_touch_people AFTER INSERT OR UPDATE OR DELETE ON stays
                    FOR EACH ROW EXECUTE FUNCTION stays_touch_people();

                CREATE FUNCTION vehicles_touch_engagements() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE engagements SET revision = revision WHERE vehicle_id = NEW.id;
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER tr_vehicles_touch_engagements AFTER UPDATE ON vehicles
                    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION vehicles_touch_engagements();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER tr_vehicles_touch_engagements ON vehicles;
                DROP FUNCTION vehicles_touch_engagements();
                DROP TRIGGER tr_stays_touch_people ON stays;
                DROP FUNCTION stays_touch_people();
                ALTER TABLE engagements DROP CONSTRAINT ex_engagements_vehicle_time;
                """);
            migrationBuilder.DropForeignKey(
                name: "fk_engagements_vehicles_vehicle_id",
                table: "engagements");

            migrationBuilder.DropTable(
                name: "room_blocks");

            migrationBuilder.DropTable(
                name: "stays");

            migrationBuilder.DropTable(
                name: "vehicles");

            migrationBuilder.DropIndex(
                name: "ix_engagements_vehicle_id",
                table: "engagements");

            migrationBuilder.DropColumn(
                name: "vehicle_id",
                table: "engagements");
        }
    }
}
