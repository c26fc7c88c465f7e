using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JobServer.Jobs.Storage.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class JobChangeXid : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ChangeXid",
                table: "jobs",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_jobs_ChangeXid",
                table: "jobs",
                column: "ChangeXid");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_jobs_ChangeXid",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "ChangeXid",
                table: "jobs");
        }
    }
}
