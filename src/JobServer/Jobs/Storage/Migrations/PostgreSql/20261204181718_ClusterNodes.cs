using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JobServer.Jobs.Storage.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ClusterNodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cluster_nodes",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Instance = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Epoch = table.Column<long>(type: "bigint", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    JoinedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    HeartbeatAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cluster_nodes", x => x.Name);
                },
                comment: "The daemons sharing this database: epoch (fencing token), state, last heartbeat (database clock)");

            // Nodes that wrote unfinished jobs before membership existed: as if they had left, so their own next
            // start re-joins under the name and finds its jobs, or another node takes them over.
            migrationBuilder.Sql("""
                INSERT INTO cluster_nodes ("Name", "Instance", "Epoch", "State", "JoinedAt", "HeartbeatAt")
                SELECT DISTINCT "Node", '', 0, 'leaving', now(), now() FROM jobs
                WHERE "Node" IS NOT NULL AND "State" IN ('WAITING', 'RUNNING')
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cluster_nodes");
        }
    }
}
