using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JobServer.Spark.Storage.Migrations
{
    /// <inheritdoc />
    public partial class SparkCallbacks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "spark_callbacks",
                columns: table => new
                {
                    JobId = table.Column<long>(type: "INTEGER", nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    Delivered = table.Column<bool>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    Done = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_spark_callbacks", x => x.JobId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_spark_callbacks_Done",
                table: "spark_callbacks",
                column: "Done");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "spark_callbacks");
        }
    }
}
