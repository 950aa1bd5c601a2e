using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommissionPlanner.Data.Migrations
{
    /// <inheritdoc />
    public partial class ChangeStampAtCommit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "programme_change_marks",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    programme_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_programme_change_marks", x => x.id);
                });

            // A mark becomes the programme's ChangeStamp + 1 as its transaction commits (a deferred constraint
            // trigger fires during COMMIT), and is deleted there: see ProgrammeChangeMark for why.
            migrationBuilder.Sql("""
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER tr_programme_change_marks_apply ON programme_change_marks; DROP FUNCTION programme_change_marks_apply();");
            migrationBuilder.DropTable(
                name: "programme_change_marks");
        }
    }
}
