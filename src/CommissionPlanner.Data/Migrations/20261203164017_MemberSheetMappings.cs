using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace CommissionPlanner.Data.Migrations
{
    /// <inheritdoc />
    public partial class MemberSheetMappings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "member_sheet_mappings",
                columns: table => new
                {
                    delegation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    mapping = table.Column<string>(type: "jsonb", nullable: false),
                    updated_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_member_sheet_mappings", x => x.delegation_id);
                    table.ForeignKey(
                        name: "fk_member_sheet_mappings_delegations_delegation_id",
                        column: x => x.delegation_id,
                        principalTable: "delegations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "member_sheet_mappings");
        }
    }
}
