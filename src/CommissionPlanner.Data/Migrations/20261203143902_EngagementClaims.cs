using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommissionPlanner.Data.Migrations
{
    /// <inheritdoc />
    public partial class EngagementClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // An engagement grain decides from the engagement and list it holds in memory; its write first claims the
            // revisions it read (EngagementClaim). The row is locked until the write commits, so nothing can change it in
            // between; should anything have changed it since the grain read it (an import, a venue edit, another silo's
            // activation), the whole write fails with CP001 and the grain reads again. FOR NO KEY UPDATE: adds to other
            // lists still take their foreign-key locks on the row meanwhile.
            migrationBuilder.Sql("""
                CREATE FUNCTION claim_engagement(engagement uuid, seen_revision bigint, seen_list_revision bigint) RETURNS void
                LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM 1 FROM engagements
                        WHERE id = engagement AND revision = seen_revision AND list_revision = seen_list_revision
                        FOR NO KEY UPDATE;
                    IF NOT FOUND THEN
                        RAISE EXCEPTION 'engagement % changed since it was read (revision %, list revision %)',
                            engagement, seen_revision, seen_list_revision
                            USING ERRCODE = 'CP001';
                    END IF;
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION claim_engagement(uuid, bigint, bigint);");
        }
    }
}
