#!/usr/bin/env bash
# The full benchmark run that writes docs/benchmarks.md, with Hangfire on PostgreSQL when a PostgreSQL server is
# installed: starts a throw-away cluster on a free loopback port (as the postgres user when run as root), passes it
# to the harness as BENCH_POSTGRES, and removes it afterwards. Without PostgreSQL the run goes on without that row.
#   bash bench/full-run.sh [scenario…]
set -euo pipefail
cd "$(dirname "$0")/.."

pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
cluster=""
as_pg() { if [[ $(id -u) -eq 0 ]]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
stop_cluster() {
  if [[ -n "$cluster" ]]; then
    as_pg "'$pg_bin/pg_ctl' -D '$cluster/data' -m fast stop" >/dev/null 2>&1 || true
    rm -rf "$cluster"
  fi
}
trap stop_cluster EXIT

if [[ -n "$pg_bin" && -x "$pg_bin/initdb" ]]; then
  cluster="$(mktemp -d /tmp/jobserver-bench-pg.XXXXXX)"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  [[ $(id -u) -eq 0 ]] && chown postgres "$cluster"
  as_pg "'$pg_bin/initdb' -D '$cluster/data' -U postgres --auth=trust" >/dev/null
  as_pg "'$pg_bin/pg_ctl' -D '$cluster/data' -l '$cluster/pg.log' -w \
    -o \"-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$cluster'\" start" >/dev/null
  export BENCH_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "PostgreSQL $(basename "$(dirname "$pg_bin")") on 127.0.0.1:$port for Hangfire.PostgreSql"
else
  echo "No PostgreSQL server installed: Hangfire on PostgreSQL is left out."
fi

BENCH_COMMAND="bash bench/full-run.sh${*:+ $*}" dotnet run -c Release --project bench/JobServer.Bench -- "$@"
