using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace CommissionPlanner.Data.Migrations
{
    /// <inheritdoc />
    public partial class IdempotentRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "request_claim",
                table: "audit_entries",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "idempotent_requests",
                columns: table => new
                {
                    scope = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    request_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    claim = table.Column<Guid>(type: "uuid", nullable: false),
                    claimed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    claimed_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    applied_at = table.Column<Instant>(type: "timestamp with time zone", nullable: true),
                    applied_transaction = table.Column<long>(type: "bigint", nullable: true),
                    applied_entity_id = table.Column<Guid>(type: "uuid", nullable: true),
                    answer_status = table.Column<int>(type: "integer", nullable: true),
                    answer_content_type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    answer_location = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    answer_body = table.Column<byte[]>(type: "bytea", nullable: true),
                    answer_withheld = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_idempotent_requests", x => new { x.scope, x.key });
                });

            migrationBuilder.CreateIndex(
                name: "ix_idempotent_requests_claim",
                table: "idempotent_requests",
                column: "claim",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_idempotent_requests_claimed_at",
                table: "idempotent_requests",
                column: "claimed_at");

            // A change made under an Idempotency-Key applies the key's claim in its own transaction. Every change writes
            // its audit entries in its transaction, whichever path writes it (EF Core, the attendee add's batch, an
            // import), so the claim travels on the entry. The first transaction to apply a claim owns it: a second one
            // under the same claim, or one whose claim a retry took over (its server was gone), fails with CP002 and
            // rolls back, so a request is applied once at most, and a retry can read whether it was.
            migrationBuilder.Sql("""
                CREATE FUNCTION apply_request_claim() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE idempotent_requests
                    SET applied_at = coalesce(applied_at, now()),
                        applied_transaction = coalesce(applied_transaction, txid_current()),
                        applied_entity_id = coalesce(applied_entity_id, NEW.entity_id)
                    WHERE claim = NEW.request_claim
                      AND (applied_transaction IS NULL OR applied_transaction = txid_current());
                    IF NOT FOUND THEN
                        RAISE EXCEPTION 'the request claim % was taken over by a retry, or applied by another transaction', NEW.request_claim
                            USING ERRCODE = 'CP002';
                    END IF;
                    RETURN NEW;
                END
                $$;

                CREATE TRIGGER audit_entries_apply_request_claim BEFORE INSERT ON audit_entries
                FOR EACH ROW WHEN (NEW.request_claim IS NOT NULL) EXECUTE FUNCTION apply_request_claim();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER audit_entries_apply_request_claim ON audit_entries;
                DROP FUNCTION apply_request_claim();
                """);

            migrationBuilder.DropTable(
                name: "idempotent_requests");

            migrationBuilder.DropColumn(
                name: "request_claim",
                table: "audit_entries");
        }
    }
}
