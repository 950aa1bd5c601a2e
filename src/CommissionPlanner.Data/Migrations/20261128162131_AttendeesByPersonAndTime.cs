using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommissionPlanner.Data.Migrations
{
    /// <inheritdoc />
    public partial class AttendeesByPersonAndTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_attendees_person_id_occupied",
                table: "attendees",
                columns: new[] { "person_id", "occupied" })
                .Annotation("Npgsql:IndexMethod", "gist");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_attendees_person_id_occupied",
                table: "attendees");
        }
    }
}
