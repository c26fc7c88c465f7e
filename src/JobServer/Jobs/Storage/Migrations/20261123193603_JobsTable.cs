using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JobServer.Jobs.Storage.Migrations
{
    /// <inheritdoc />
    public partial class JobsTable : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "jobs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        // AUTOINCREMENT: sqlite_sequence keeps the highest id ever used, so ids are never reused.
                        .Annotation("Sqlite:Autoincrement", true),
                    Method = table.Column<string>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: true),
                    Transient = table.Column<bool>(type: "INTEGER", nullable: false),
                    Abortable = table.Column<bool>(type: "INTEGER", nullable: false),
                    LockName = table.Column<string>(type: "TEXT", nullable: true),
                    LogsPath = table.Column<string>(type: "TEXT", nullable: true),
                    LogsExcerpt = table.Column<string>(type: "TEXT", nullable: true),
                    Error = table.Column<string>(type: "TEXT", nullable: true),
                    Exception = table.Column<string>(type: "TEXT", nullable: true),
                    TimeStarted = table.Column<DateTime>(type: "TEXT", nullable: false),
                    TimeFinished = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Username = table.Column<string>(type: "TEXT", nullable: true),
                    CredentialType = table.Column<string>(type: "TEXT", nullable: true),
                    CallerRoles = table.Column<string>(type: "TEXT", nullable: true),
                    ArgumentsJson = table.Column<string>(type: "TEXT", nullable: false),
                    PendingArgumentsJson = table.Column<string>(type: "TEXT", nullable: true),
                    ProgressJson = table.Column<string>(type: "TEXT", nullable: false),
                    ResultJson = table.Column<string>(type: "TEXT", nullable: true),
                    ExcInfoJson = table.Column<string>(type: "TEXT", nullable: true),
                    MessageIdsJson = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jobs", x => x.Id);
                },
                comment: "One row per job; ids are never reused");

            migrationBuilder.CreateIndex(
                name: "IX_jobs_State",
                table: "jobs",
                column: "State");

            migrationBuilder.CreateIndex(
                name: "IX_jobs_TimeFinished",
                table: "jobs",
                column: "TimeFinished");

            migrationBuilder.CreateIndex(
                name: "IX_jobs_Username",
                table: "jobs",
                column: "Username");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "jobs");
        }
    }
}
