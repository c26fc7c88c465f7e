using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JobServer.Spark.Storage.Migrations
{
    /// <inheritdoc />
    public partial class SparkBinaries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "spark_binaries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    BinaryType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    UploadedAtMs = table.Column<long>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_spark_binaries", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_spark_binaries_Name",
                table: "spark_binaries",
                column: "Name");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "spark_binaries");
        }
    }
}
