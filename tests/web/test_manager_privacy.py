"""Nothing on the manager's pages or in their files identifies a customer: over the real bank log
(whose rows carry customer ids) not one id appears; on a live day no ticket's phone-page token."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.conftest import SHARED
from tests.web.conftest import frontdesk_here
from tests.web.manager_support import set_manager_pin, signed_in

BANK_TSV = SHARED / "queue-logs" / "anonymous_bank_1999_02_01-14.tsv"
MONTH = "period=month&date=1999-02-01"


def everything_a_manager_gets(server, query: str) -> str:
    c = signed_in(server)
    paths = [f"/manager/report?{query}", f"/manager/report.csv?{query}", f"/manager/report.json?{query}"]
    paths += [f"/manager/visits.csv?{query}", "/manager"]
    answers = [c.get(path) for path in paths]
    assert [a.status_code for a in answers] == [200] * len(paths)
    return "\n".join(a.text for a in answers)


@pytest.mark.slow
def test_no_customer_id_of_the_real_log_reaches_the_managers_pages(sqlite_db, web_server):
    if not BANK_TSV.is_file():
        pytest.skip(f"the real queue log is not here ({BANK_TSV}); see ../shared/queue-logs/README.md")
    from config import load_config
    from kiosk.reports import import_csv
    from kiosk.reports.bank import convert
    from kiosk.reports.logformat import HEADER
    from kiosk.store import open_store

    text = BANK_TSV.read_text(encoding="utf-8")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for c in convert(io.StringIO(text, newline="")):
        if c.row is not None:
            writer.writerow(c.row.cells())
    store = open_store(sqlite_db)
    assert import_csv(store, load_config(None), io.StringIO(out.getvalue()), skip_bad=True).added > 15000
    store.close()
    customers = {r["customer_id"] for r in csv.DictReader(io.StringIO(text), delimiter="\t")}
    customers = {c for c in customers if len(c) >= 6}  # "0" is the log's "not identified"
    assert len(customers) > 1000
    set_manager_pin(sqlite_db)
    server = web_server(sqlite_db)
    seen = everything_a_manager_gets(server, MONTH)
    assert "15988" in seen.replace(",", "")  # the month's figures are all there
    numbers = set(re.findall(r"\d{6,}", seen))
    assert numbers & customers == set()


def test_no_phone_page_token_on_the_managers_pages(sqlite_db, web_server):
    set_manager_pin(sqlite_db)
    tickets = [frontdesk_here("ticket", "new", "--service", "CASH", "--lang", "en", db=sqlite_db) for _ in range(3)]
    frontdesk_here("call", "--counter", "1", db=sqlite_db)
    frontdesk_here("start", tickets[0]["ticket"], db=sqlite_db)
    frontdesk_here("finish", tickets[0]["ticket"], db=sqlite_db)
    server = web_server(sqlite_db)
    c = signed_in(server)
    today = c.get("/manager").text
    date = re.search(r"· (\d{4}-\d{2}-\d{2})</h1>", today).group(1)
    seen = everything_a_manager_gets(server, f"period=day&date={date}")
    assert tickets[0]["ticket"] in seen  # the finished visit is there, by its number
    for t in tickets:
        assert t["status_path"].removeprefix("/t/") not in seen
