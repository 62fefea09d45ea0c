"""Fixtures of the reports area: the real Anonymous Bank log (skipped when absent), converted once."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import SHARED

BANK_TSV = SHARED / "queue-logs" / "anonymous_bank_1999_02_01-14.tsv"


@pytest.fixture(scope="session")
def bank_tsv() -> Path:
    if not BANK_TSV.is_file():
        pytest.skip(f"the real queue log is not here ({BANK_TSV}); see ../shared/queue-logs/README.md")
    return BANK_TSV


@pytest.fixture(scope="session")
def bank_csv(bank_tsv, tmp_path_factory) -> Path:
    """The real two weeks in the CSV log format (bad rows skipped), in a temporary folder."""
    from kiosk.reports.bank import convert
    from kiosk.reports.logformat import HEADER

    out = tmp_path_factory.mktemp("bank") / "bank.csv"
    with open(bank_tsv, encoding="utf-8", newline="") as src, open(out, "w", encoding="utf-8", newline="") as dst:
        writer = csv.writer(dst, lineterminator="\n")
        writer.writerow(HEADER)
        for c in convert(src):
            if c.row is not None:
                writer.writerow(c.row.cells())
    return out


def serve_visit(engine, clock, service: str, wait_s: float, service_s: float, rating: int | None = None):
    """One customer's whole visit at counter 3 with clerk Bold: issued, waits, called, served, rated."""
    from kiosk.core.model import Action

    issued = engine.issue(service)
    clock.advance(wait_s)
    engine.call(issued.ticket.number, counter=3, staff="Bold")
    engine.act(issued.ticket.number, Action.START)
    clock.advance(service_s)
    engine.act(issued.ticket.number, Action.FINISH)
    if rating:
        engine.rate(issued.ticket.number, rating)
    return issued
