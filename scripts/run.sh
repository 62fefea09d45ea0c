#!/usr/bin/env bash
# `make run`: the product on the embedded defaults (the example branch, a SQLite file).
# With a display: the customer's kiosk (full screen; Esc asks for a manager PIN;
# set one first with `frontdesk pin set --role manager --name NAME`).
# Without one: a scripted day on a virtual display (Xvfb): customers check in in
# each language, a clerk calls and serves them, one rates the visit, the standard
# is broken and alerted, the manager exports the day. Screenshots of every screen
# and the day's report go to a folder that is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n "${DISPLAY:-}" ]]; then
  exec .venv/bin/python -m kiosk.cli kiosk "$@"
fi
if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "run: no display and no xvfb-run; install it with: sudo apt-get install -y xvfb libgl1-mesa-dri" >&2
  exit 1
fi
out="demo-output/$(date +%Y%m%d-%H%M%S)"
# no sound card on a headless machine: a silent audio driver keeps SDL quiet
SDL_AUDIODRIVER=dummy xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python -m kiosk.cli demo --out "$out"
echo
echo "Screenshots of each screen, report.json and the visits CSV are in: $(pwd)/$out"
