using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommissionPlanner.Data.Migrations
{
    /// <inheritdoc />
    public partial class ChangeStampFolded : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Marks now stay until a fold counts them into the programme (ProgrammeChangeMark, ProgrammeChanges.FoldAsync):
            // the trigger that bumped the programme row at every commit serialised all writers to one programme.
            migrationBuilder.Sql("DROP TRIGGER tr_programme_change_marks_apply ON programme_change_marks; DROP FUNCTION programme_change_marks_apply();");
            migrationBuilder.CreateIndex(
                name: "ix_programme_change_marks_programme_id",
                table: "programme_change_marks",
                column: "programme_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Fold what is waiting, then bring back the trigger of ChangeStampAtCommit.
            migrationBuilder.Sql("""
                WITH gone AS (DELETE FROM programme_change_marks RETURNING programme_id),
                     counted AS (SELECT programme_id, count(*) AS changes FROM gone GROUP BY programme_id)
                UPDATE programmes p SET change_stamp = p.change_stamp + counted.changes FROM counted WHERE p.id = counted.programme_id;
                CREATE FUNCTION programme_change_marks_apply() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE programmes SET change_stamp = change_stamp + 1 WHERE id = NEW.programme_id;
                    DELETE FROM programme_change_marks WHERE id = NEW.id;
                    RETURN NULL;
                END
                $$;
                CREATE CONSTRAINT TRIGGER tr_programme_change_marks_apply
                    AFTER INSERT ON programme_change_marks
                    DEFERRABLE INITIALLY DEFERRED
                    FOR EACH ROW EXECUTE FUNCTION programme_change_marks_apply();
                """);
            migrationBuilder.DropIndex(
                name: "ix_programme_change_marks_programme_id",
                table: "programme_change_marks");
        }
    }
}
