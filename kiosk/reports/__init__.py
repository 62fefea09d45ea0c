"""Wait-time logs and the manager's reports.

The stable API the kiosk's manager screen and the CLI use:

- ``build_report(store, cfg, date_from, date_to, target_wait_s=None) -> Report``: the
  figures (totals, by service, hour, day, staff, weekday x hour), the camera's queue
  length over the day, the breaches from the alert log and the definitions (typed in
  :mod:`kiosk.reports.report_shape`, a plain dict at run time);
- ``export_csv(store, cfg, out, date_from, date_to) -> int``: the documented CSV log;
- ``import_csv(store, cfg, source, skip_bad=False) -> ImportResult``: atomic, idempotent.
"""

from kiosk.reports.logio import ImportResult, export_csv, import_csv
from kiosk.reports.report import build_report

__all__ = ["ImportResult", "build_report", "export_csv", "import_csv"]
