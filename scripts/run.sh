#!/usr/bin/env bash
# `make run`: the engine's command-line demo on the embedded defaults (a SQLite
# file in a temp folder): customers check in, counters call and serve them.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d /tmp/frontdesk-demo.XXXXXX)
export FRONTDESK_DB="sqlite:///$out/frontdesk.sqlite3"
fd() { echo "\$ frontdesk $*"; .venv/bin/frontdesk "$@"; }
fd ticket new --service CASH --lang mn
fd ticket new --service LOANS --lang en
fd ticket new --service CASH --priority --lang ru
fd ticket new --service COMPLAINT --lang hy
fd queue
fd call --counter 1 --staff Saraa
fd start A002
fd finish A002
fd rate A002 5
fd call --counter 4 --staff Bat
fd queue
echo "demo database: $out/frontdesk.sqlite3"
