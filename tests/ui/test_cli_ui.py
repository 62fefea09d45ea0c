"""The screen commands' bad input, ``frontdesk pin set``, and ``frontdesk demo`` (what ``make run`` runs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kiosk.store import open_store
from kiosk.store.pins import PinStore

FRONTDESK = [sys.executable, "-m", "kiosk.cli"]


def fd(*args: str, stdin: str = "", timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, SDL_AUDIODRIVER="dummy")
    return subprocess.run(FRONTDESK + list(args), input=stdin, capture_output=True, text=True, timeout=timeout, env=env)


def test_pin_set_reads_the_pin_from_stdin_and_stores_only_a_hash(db_file):
    done = fd("pin", "set", "--role", "manager", "--name", "Oyuna", "--db", db_file, stdin="9024\n")
    assert done.returncode == 0, done.stderr
    store = open_store(db_file)
    pins = PinStore(store)
    assert pins.names("manager") == ["Oyuna"]
    assert pins.verify("manager", "Oyuna", "9024").ok
    assert "9024" not in str(store.all("SELECT * FROM staff_pin"))
    store.close()


@pytest.mark.parametrize(
    "args,stdin,message",
    [
        (["pin", "set", "--role", "staff", "--name", "Bat"], "12ab\n", "a PIN is 4 to 8 digits"),
        (["pin", "set", "--role", "boss", "--name", "Bat"], "1234\n", "unknown role 'boss'"),
        (["staff", "--counter", "9"], "", "unknown counter 9"),
        (["kiosk", "--size", "big"], "", "--size 'big'"),
        (["manager", "--lang", "fr"], "", "--lang 'fr'"),
    ],
)
def test_bad_input_is_a_clear_message_and_exit_2(db_file, args, stdin, message):
    done = fd(*args, "--db", db_file, stdin=stdin)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_demo_writes_screenshots_and_the_days_report(tmp_path):
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs an X display: run under xvfb-run (make test does)")
    out = tmp_path / "demo"
    done = fd("demo", "--out", str(out), timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    shots = sorted(p.name for p in out.glob("*.png"))
    for screen in ("greeting-awake", "service-hy", "ticket-ru", "staff-serving", "feedback", "staff-alert", "manager"):
        assert any(screen in name for name in shots), f"no {screen} screenshot in {shots}"
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["totals"]["arrived"] == 4 and report["totals"]["served"] == 1
    assert report["totals"]["rating_mean"] == 5.0
    assert list(out.glob("visits-*.csv"))
    assert str(out) in done.stdout


def test_printer_hook_builds_the_devices_ticket_slip(cfg, handle, ui_clock):
    """The kiosk's ticket goes to the desk's printer as a TicketSlip in the customer's language."""
    from device.desk import Desk
    from kiosk.cli_ui import printer_hook
    from kiosk.i18n import Translator
    from kiosk.ui.backend import InlineRunner
    from kiosk.ui.kiosk_flow import KioskFlow

    sent = []

    class Recording(Desk):
        def submit_ticket(self, slip):
            sent.append(slip)
            return super().submit_ticket(slip)  # no printer here: "not printed", remember the number

    hook = printer_hook(cfg, Recording())
    results = []
    flow = KioskFlow(
        cfg,
        Translator.load(),
        InlineRunner(handle),
        clock=ui_clock,
        print_ticket=lambda issued, view, lang: results.append(hook(issued, view, lang).result()),
    )
    flow.choose_language("hy")
    flow.choose_service("LOANS")
    slip = sent[0]
    assert (slip.number, slip.service_name, slip.lang) == ("C001", "Վարկեր և խորհրդատվություն", "hy")
    assert (slip.wait_low_min, slip.wait_high_min) == (flow.ticket.wait_low_min, flow.ticket.wait_high_min)
    assert results[0].remember_number
