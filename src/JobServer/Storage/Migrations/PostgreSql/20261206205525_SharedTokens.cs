using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JobServer.Storage.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class SharedTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "auth_tokens",
                columns: table => new
                {
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Username = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Roles = table.Column<string>(type: "text", nullable: false),
                    Attributes = table.Column<string>(type: "jsonb", nullable: false),
                    CreatorSession = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Origin = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    SingleUse = table.Column<bool>(type: "boolean", nullable: false),
                    Ttl = table.Column<TimeSpan>(type: "interval", nullable: false),
                    LastUsedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_auth_tokens", x => x.Hash);
                },
                comment: "Tokens valid on every node, by SHA-256 hash; expiry on the database clock");

            migrationBuilder.CreateIndex(
                name: "IX_auth_tokens_CreatorSession",
                table: "auth_tokens",
                column: "CreatorSession");

            migrationBuilder.CreateIndex(
                name: "IX_auth_tokens_Username",
                table: "auth_tokens",
                column: "Username");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "auth_tokens");
        }
    }
}
