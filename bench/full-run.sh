#!/usr/bin/env bash
# The full benchmark run that writes docs/benchmarks.md, with Hangfire on PostgreSQL when a PostgreSQL server is
# installed: starts a throw-away cluster on a free loopback port (as the postgres user when run as root), passes it
# to the harness as BENCH_POSTGRES, and removes it afterwards. Without PostgreSQL the run goes on without that row.
#   bash bench/full-run.sh [scenario…]
set -euo pipefail
cd "$(dirname "$0")/.."

source .ci/throwaway-postgres.sh
start_throwaway_postgres
if [[ -n "$THROWAWAY_POSTGRES" ]]; then
  export BENCH_POSTGRES="$THROWAWAY_POSTGRES"
else
  echo "No PostgreSQL server installed: Hangfire on PostgreSQL is left out."
fi

BENCH_COMMAND="bash bench/full-run.sh${*:+ $*}" dotnet run -c Release --project bench/JobServer.Bench -- "$@"
