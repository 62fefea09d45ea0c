#!/usr/bin/env bash
# Runs the whole test suite. Starts a throwaway PostgreSQL cluster on loopback
# (so the store suite runs on both engines) and a virtual display for the Kivy
# windows when there is no screen. Both are torn down on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg-scratch.sh
pg_scratch_start || echo "test: PostgreSQL not available; its tests will be skipped"
trap pg_scratch_stop EXIT
# Four pytest-xdist workers by default (FRONTDESK_TEST_WORKERS=0: one process): on two cores,
# since much of the suite waits on browsers, windows, servers and the sound's own length.
# A test file runs whole on one worker, in order: a file's tests share module fixtures (one
# real app whose state each window test carries on from the one before).
# Compiled modules are kept (__pycache__/, git-ignored) even where the environment says not to
# write them: without them each of the suite's few hundred Python processes (the workers, every
# `frontdesk` a test starts) compiles the project again, and each worker rewrites every test
# module's asserts again (about 3 s of CPU a worker).
unset PYTHONDONTWRITEBYTECODE
args=("$@")
if [[ " $* " != *" -n "* && " $* " != *" --numprocesses"* && " $* " != *" -p no:xdist "* ]]; then
  args=(-n "${FRONTDESK_TEST_WORKERS:-4}" --dist loadfile "${args[@]}")
fi
if [[ -z "${DISPLAY:-}" ]] && command -v xvfb-run >/dev/null 2>&1; then
  xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python -m pytest "${args[@]}"
else
  .venv/bin/python -m pytest "${args[@]}"
fi
