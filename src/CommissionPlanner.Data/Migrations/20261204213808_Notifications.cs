using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace CommissionPlanner.Data.Migrations
{
    /// <inheritdoc />
    public partial class Notifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "notifications_enabled",
                table: "programmes",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "notify",
                table: "people",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.CreateTable(
                name: "notifications",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    programme_id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    engagement_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    created_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    composed_at = table.Column<Instant>(type: "timestamp with time zone", nullable: true),
                    email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    subject = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    message_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    body = table.Column<byte[]>(type: "bytea", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<Instant>(type: "timestamp with time zone", nullable: true),
                    lease_owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    lease_until = table.Column<Instant>(type: "timestamp with time zone", nullable: true),
                    sent_at = table.Column<Instant>(type: "timestamp with time zone", nullable: true),
                    server_response = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notifications", x => x.id);
                    table.ForeignKey(
                        name: "fk_notifications_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_notifications_programmes_programme_id",
                        column: x => x.programme_id,
                        principalTable: "programmes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "notified_views",
                columns: table => new
                {
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    engagement_id = table.Column<Guid>(type: "uuid", nullable: false),
                    view = table.Column<string>(type: "jsonb", nullable: false),
                    updated_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notified_views", x => new { x.person_id, x.engagement_id });
                    table.ForeignKey(
                        name: "fk_notified_views_engagements_engagement_id",
                        column: x => x.engagement_id,
                        principalTable: "engagements",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_notified_views_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_notifications_pending",
                table: "notifications",
                columns: new[] { "status", "created_at" },
                filter: "status IN ('queued', 'ready')");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_person_id",
                table: "notifications",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_programme_id_created_at",
                table: "notifications",
                columns: new[] { "programme_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ux_notifications_collecting",
                table: "notifications",
                columns: new[] { "programme_id", "person_id" },
                unique: true,
                filter: "status = 'queued'");

            migrationBuilder.CreateIndex(
                name: "ix_notified_views_engagement_id",
                table: "notified_views",
                column: "engagement_id");

            // The outbox is filled here, in the database, in the transaction of the change itself: every writer (the
            // grains, the import, a repair by hand) goes through these tables, so none can forget a notification and
            // none is lost with a silo that dies after its commit. The triggers only say who a change MAY touch (the
            // people on the lists it reached, where the programme has notifications on); whether it alters what they
            // see, and how, is decided when the message is composed (EventNotices, in the domain library), against
            // what they were last told. A change joins the person's collecting notification, if there is one.
            migrationBuilder.Sql("""
                -- PL/pgSQL, not SQL: its statements' plans are cached for the session, where an SQL function called from a
                -- trigger is planned again on every call (which cost the attendee add, the hottest write, a millisecond).
                CREATE FUNCTION queue_notifications(engagement_ids uuid[], person_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO notifications (id, programme_id, person_id, status, engagement_ids, created_at, attempts)
                    SELECT gen_random_uuid(), e.programme_id, s.person_id, 'queued', array_agg(DISTINCT s.engagement_id), now(), 0
                    FROM unnest(engagement_ids, person_ids) AS s(engagement_id, person_id)
                    JOIN engagements e ON e.id = s.engagement_id
                    JOIN programmes p ON p.id = e.programme_id AND p.notifications_enabled
                    -- A person deleted in this statement (their attendee rows cascading) is told nothing.
                    JOIN people pp ON pp.id = s.person_id
                    GROUP BY e.programme_id, s.person_id
                    ON CONFLICT (programme_id, person_id) WHERE status = 'queued'
                    DO UPDATE SET engagement_ids = ARRAY(
                        SELECT DISTINCT x FROM unnest(notifications.engagement_ids || excluded.engagement_ids) AS x);
                END
                $$;

                -- Whether any programme has notifications on: while none has (every programme being drafted, a load test)
                -- the triggers below stop at this one indexed look-up.
                CREATE INDEX ix_programmes_notifying ON programmes (id) WHERE notifications_enabled;
                CREATE FUNCTION notifications_anywhere() RETURNS boolean LANGUAGE plpgsql STABLE AS $$
                BEGIN
                    RETURN EXISTS (SELECT 1 FROM programmes WHERE notifications_enabled);
                END
                $$;

                -- Added: the people added. Changed or removed: those people, and on a list with a capacity everyone who
                -- accepted, since a reply or a removal may give one of them a place (a promotion from the waiting list).
                CREATE FUNCTION attendees_queue_notifications() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    eids uuid[];
                    pids uuid[];
                BEGIN
                    IF NOT notifications_anywhere() THEN
                        RETURN NULL;
                    END IF;
                    IF TG_OP = 'INSERT' THEN
                        SELECT array_agg(engagement_id), array_agg(person_id) INTO eids, pids FROM new_rows;
                    ELSE
                        SELECT array_agg(engagement_id), array_agg(person_id) INTO eids, pids FROM (
                            SELECT engagement_id, person_id FROM old_rows
                            UNION
                            SELECT a.engagement_id, a.person_id
                            FROM attendees a
                            JOIN engagements e ON e.id = a.engagement_id
                            JOIN venues v ON v.id = e.from_venue_id
                            WHERE a.engagement_id IN (SELECT engagement_id FROM old_rows)
                              AND a.response = 'accepted' AND COALESCE(e.capacity, v.capacity) IS NOT NULL) AS listed;
                    END IF;
                    PERFORM queue_notifications(eids, pids);
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER tr_attendees_insert_notify AFTER INSERT ON attendees
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attendees_queue_notifications();
                CREATE TRIGGER tr_attendees_update_notify AFTER UPDATE ON attendees
                    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attendees_queue_notifications();
                CREATE TRIGGER tr_attendees_delete_notify AFTER DELETE ON attendees
                    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attendees_queue_notifications();

                -- An engagement changed in what its people see (time, place, status, title, SEQUENCE) or in its
                -- capacity (places given or taken): everyone on its list.
                CREATE FUNCTION engagements_queue_notifications() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM programmes WHERE id = NEW.programme_id AND notifications_enabled) THEN
                        RETURN NULL;
                    END IF;
                    PERFORM queue_notifications(ARRAY(SELECT NEW.id FROM attendees WHERE engagement_id = NEW.id),
                                                ARRAY(SELECT person_id FROM attendees WHERE engagement_id = NEW.id));
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER tr_engagements_notify AFTER UPDATE ON engagements FOR EACH ROW
                    WHEN ((OLD.title, OLD.status, OLD.start_local, OLD.start_zone, OLD.end_local, OLD.end_zone, OLD.from_venue_id,
                           OLD.to_venue_id, OLD.sequence, OLD.capacity, OLD.review_status, OLD.cancel_reason)
                          IS DISTINCT FROM
                          (NEW.title, NEW.status, NEW.start_local, NEW.start_zone, NEW.end_local, NEW.end_zone, NEW.from_venue_id,
                           NEW.to_venue_id, NEW.sequence, NEW.capacity, NEW.review_status, NEW.cancel_reason))
                    EXECUTE FUNCTION engagements_queue_notifications();

                -- A venue renamed, re-addressed or given another capacity: everyone booked there.
                CREATE FUNCTION venues_queue_notifications() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    eids uuid[];
                    pids uuid[];
                BEGIN
                    SELECT array_agg(a.engagement_id), array_agg(a.person_id) INTO eids, pids
                    FROM attendees a JOIN engagements e ON e.id = a.engagement_id
                    WHERE e.from_venue_id = NEW.id OR e.to_venue_id = NEW.id;
                    PERFORM queue_notifications(eids, pids);
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER tr_venues_notify AFTER UPDATE ON venues FOR EACH ROW
                    WHEN ((OLD.name, OLD.address, OLD.city, OLD.country, OLD.capacity) IS DISTINCT FROM
                          (NEW.name, NEW.address, NEW.city, NEW.country, NEW.capacity))
                    EXECUTE FUNCTION venues_queue_notifications();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER tr_venues_notify ON venues;
                DROP FUNCTION venues_queue_notifications();
                DROP TRIGGER tr_engagements_notify ON engagements;
                DROP FUNCTION engagements_queue_notifications();
                DROP TRIGGER tr_attendees_insert_notify ON attendees;
                DROP TRIGGER tr_attendees_update_notify ON attendees;
                DROP TRIGGER tr_attendees_delete_notify ON attendees;
                DROP FUNCTION attendees_queue_notifications();
                DROP FUNCTION queue_notifications(uuid[], uuid[]);
                DROP FUNCTION notifications_anywhere();
                DROP INDEX ix_programmes_notifying;
                """);

            migrationBuilder.DropTable(
                name: "notifications");

            migrationBuilder.DropTable(
                name: "notified_views");

            migrationBuilder.DropColumn(
                name: "notifications_enabled",
                table: "programmes");

            migrationBuilder.DropColumn(
                name: "notify",
                table: "people");
        }
    }
}
