# Sourced by scripts that need a private PostgreSQL server on loopback.
# pg_scratch_start exports FRONTDESK_TEST_PG_URL; pg_scratch_stop removes the cluster.
PG_SCRATCH_DIR=""
pg_scratch_start() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n $bindir && -x $bindir/initdb ]] || return 1
  PG_SCRATCH_DIR=$(mktemp -d /tmp/frontdesk-pg.XXXXXX)
  local run=()
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres "$PG_SCRATCH_DIR"
    run=(runuser -u postgres --)
  fi
  local port=$((20000 + RANDOM % 20000))
  "${run[@]}" "$bindir/initdb" -D "$PG_SCRATCH_DIR/data" -U frontdesk -A trust >/dev/null || return 1
  "${run[@]}" "$bindir/pg_ctl" -D "$PG_SCRATCH_DIR/data" -l "$PG_SCRATCH_DIR/log" -w \
      -o "-h 127.0.0.1 -p $port -k $PG_SCRATCH_DIR -c fsync=off" start >/dev/null || return 1
  "${run[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U frontdesk frontdesk_test || return 1
  export FRONTDESK_TEST_PG_URL="postgresql://frontdesk@127.0.0.1:$port/frontdesk_test"
  PG_SCRATCH_BIN=$bindir
  PG_SCRATCH_RUN=("${run[@]}")
  echo "test: PostgreSQL scratch server at $FRONTDESK_TEST_PG_URL"
}
pg_scratch_stop() {
  [[ -n $PG_SCRATCH_DIR && -d $PG_SCRATCH_DIR/data ]] || return 0
  "${PG_SCRATCH_RUN[@]}" "$PG_SCRATCH_BIN/pg_ctl" -D "$PG_SCRATCH_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_SCRATCH_DIR"
}
