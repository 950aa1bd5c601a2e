using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommissionPlanner.Data.Migrations
{
    /// <inheritdoc />
    public partial class BilingualContent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "language",
                table: "feeds",
                type: "character varying(4)",
                maxLength: 4,
                nullable: false,
                defaultValue: "en");

            migrationBuilder.AddColumn<string>(
                name: "description_zh",
                table: "engagements",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "title_zh",
                table: "engagements",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "language",
                table: "feeds");

            migrationBuilder.DropColumn(
                name: "description_zh",
                table: "engagements");

            migrationBuilder.DropColumn(
                name: "title_zh",
                table: "engagements");
        }
    }
}
