# Sourced (not run) by .ci/run and bench/full-run.sh: a throw-away PostgreSQL cluster on a free loopback port.
#   start_throwaway_postgres  -> sets THROWAWAY_POSTGRES to an Npgsql connection string (empty if no server is
#                                installed) and stops and removes the cluster when the shell exits
# As root the cluster runs as the postgres user (PostgreSQL refuses to run as root); trust auth on 127.0.0.1 only.

THROWAWAY_POSTGRES=""
_throwaway_pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
_throwaway_pg_cluster=""

_as_postgres() { if [[ $(id -u) -eq 0 ]]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }

stop_throwaway_postgres() {
  if [[ -n "$_throwaway_pg_cluster" ]]; then
    _as_postgres "'$_throwaway_pg_bin/pg_ctl' -D '$_throwaway_pg_cluster/data' -m fast stop" >/dev/null 2>&1 || true
    rm -rf "$_throwaway_pg_cluster"
    _throwaway_pg_cluster=""
  fi
}

start_throwaway_postgres() {
  if [[ -z "$_throwaway_pg_bin" || ! -x "$_throwaway_pg_bin/initdb" ]]; then
    return 0
  fi

  _throwaway_pg_cluster="$(mktemp -d /tmp/jobserver-pg.XXXXXX)"
  trap stop_throwaway_postgres EXIT
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  [[ $(id -u) -eq 0 ]] && chown postgres "$_throwaway_pg_cluster"
  _as_postgres "'$_throwaway_pg_bin/initdb' -D '$_throwaway_pg_cluster/data' -U postgres --auth=trust" >/dev/null
  _as_postgres "'$_throwaway_pg_bin/pg_ctl' -D '$_throwaway_pg_cluster/data' -l '$_throwaway_pg_cluster/pg.log' -w \
    -o \"-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$_throwaway_pg_cluster' \
    -c max_connections=300\" start" >/dev/null
  THROWAWAY_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "PostgreSQL $(basename "$(dirname "$_throwaway_pg_bin")") on 127.0.0.1:$port (throw-away cluster)"
}
