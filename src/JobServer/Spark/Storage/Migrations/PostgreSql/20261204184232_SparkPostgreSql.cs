using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace JobServer.Spark.Storage.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class SparkPostgreSql : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "spark_binaries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    BinaryType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    UploadedAtMs = table.Column<long>(type: "bigint", nullable: false),
                    FileName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_spark_binaries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "spark_callbacks",
                columns: table => new
                {
                    JobId = table.Column<long>(type: "bigint", nullable: false),
                    Url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    Delivered = table.Column<bool>(type: "boolean", nullable: false),
                    LastError = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    Done = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_spark_callbacks", x => x.JobId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_spark_binaries_Name",
                table: "spark_binaries",
                column: "Name");

            migrationBuilder.CreateIndex(
                name: "IX_spark_callbacks_Done",
                table: "spark_callbacks",
                column: "Done");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "spark_binaries");

            migrationBuilder.DropTable(
                name: "spark_callbacks");
        }
    }
}
