using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JobServer.Jobs.Storage.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class InitialPostgreSql : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateSequence(
                name: "job_ids");

            migrationBuilder.CreateTable(
                name: "jobs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    Method = table.Column<string>(type: "text", nullable: false),
                    State = table.Column<string>(type: "text", nullable: false),
                    Description = table.Column<string>(type: "text", nullable: true),
                    Transient = table.Column<bool>(type: "boolean", nullable: false),
                    Abortable = table.Column<bool>(type: "boolean", nullable: false),
                    LockName = table.Column<string>(type: "text", nullable: true),
                    LogsPath = table.Column<string>(type: "text", nullable: true),
                    LogsExcerpt = table.Column<string>(type: "text", nullable: true),
                    Error = table.Column<string>(type: "text", nullable: true),
                    Exception = table.Column<string>(type: "text", nullable: true),
                    TimeStarted = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    TimeFinished = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Username = table.Column<string>(type: "text", nullable: true),
                    CredentialType = table.Column<string>(type: "text", nullable: true),
                    CallerRoles = table.Column<string>(type: "text", nullable: true),
                    ArgumentsJson = table.Column<string>(type: "text", nullable: false),
                    PendingArgumentsJson = table.Column<string>(type: "text", nullable: true),
                    ProgressJson = table.Column<string>(type: "text", nullable: false),
                    ResultJson = table.Column<string>(type: "text", nullable: true),
                    ExcInfoJson = table.Column<string>(type: "text", nullable: true),
                    MessageIdsJson = table.Column<string>(type: "text", nullable: false),
                    Node = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
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

            migrationBuilder.DropSequence(
                name: "job_ids");
        }
    }
}
