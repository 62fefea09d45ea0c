"""Bad input fuzzed with hypothesis: every command that reads a file answers it with a line that
names the file and exit 2, never a traceback, and what is recorded does not change.

The files are a valid log mangled: random and truncated bytes, Latin-1, UTF-16 with a BOM,
Windows line ends, a huge line, a NUL, an empty file; and the bytes piped into `pin set`.
Camera sources, device ports and the config's keys have files of their own
(tests/vision/test_fuzz_sources.py, tests/device/test_fuzz_ports.py, tests/core/test_config_fuzz.py).
The commands run in this process (``kiosk.cli.main``), so that an exception that is not a
FrontdeskError fails the test as the traceback a user would see. The runs are bounded (a few dozen examples each).
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.cli import main
from kiosk.store import open_store

HEADER = "ticket,service,priority,arrived_at,called_at,service_started_at,service_ended_at,left_at,outcome,staff"
ROWS = [
    "A001,CASH,normal,2026-11-24T09:00:00,2026-11-24T09:04:00,2026-11-24T09:04:30,2026-11-24T09:09:00,,served,Bold",
    "A002,LOANS,priority,2026-11-24T09:01:00,,,,2026-11-24T09:20:00,abandoned,",
    "A003,CASH,normal,2026-11-24T09:02:00,2026-11-24T09:10:00,2026-11-24T09:10:20,2026-11-24T09:15:00,,served,Saraa",
]
VALID = (HEADER + "\n" + "\n".join(ROWS) + "\n").encode("utf-8")
BANK_HEADER = (
    "vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\t"
    "q_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver\n"
).encode("utf-8")
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def mangled(valid: bytes) -> st.SearchStrategy[bytes]:
    """A valid file made bad in the ways real files are."""

    def flip(data: bytes, at: int, byte: int) -> bytes:
        at %= max(1, len(data))
        return data[:at] + bytes([byte]) + data[at + 1 :]

    return st.one_of(
        st.binary(max_size=400),  # random bytes
        st.integers(0, len(valid)).map(lambda n: valid[:n]),  # truncated
        st.tuples(st.integers(0, len(valid)), st.sampled_from([0xFF, 0xE9, 0x00, 0x80, 0xC3])).map(
            lambda t: flip(valid, *t)
        ),  # one bad byte
        st.just(valid.decode().replace("Bold", "Böld").encode("latin-1")),  # Latin-1
        st.just(valid.decode().replace("\n", "\r\n").encode("utf-16")),  # UTF-16, BOM, CRLF
        st.just(valid.replace(b"\n", b"\r\n").replace(b"Bold", b'Bold"')),  # CRLF, a stray quote
        st.just(valid + b"A004," + b"X" * 200_000 + b"\n"),  # a huge line
        st.just(b""),  # an empty file
    )


def run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(argv))
    return code, err.getvalue()


def recorded(url: str) -> list[tuple]:
    store = open_store(url)
    try:
        return [
            *store.all("SELECT * FROM ticket ORDER BY id"),
            *store.all("SELECT * FROM period ORDER BY ticket_id, seq"),
        ]
    finally:
        store.close()


@pytest.fixture
def branch_db(tmp_path: Path) -> str:
    """A database that already holds a day: an import must leave it as it is or add to it."""
    url = f"sqlite:///{tmp_path / 'branch.sqlite3'}"
    good = tmp_path / "good.csv"
    good.write_bytes(VALID)
    assert run("log", "import", str(good), "--db", url)[0] == 0
    return url


def assert_refused_cleanly(code: int, err: str, path: Path) -> None:
    assert code == 2, err
    first = err.strip().splitlines()[0]
    assert first.startswith(f"frontdesk: {path}"), err
    assert "Traceback" not in err


@SETTINGS
@given(data=mangled(VALID))
def test_log_import_of_a_bad_file_names_it_exits_2_and_changes_nothing(tmp_path, branch_db, data):
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    before = recorded(branch_db)
    code, err = run("log", "import", str(path), "--db", branch_db)
    if code == 0:  # a mangling that left a valid log (a cut at a line's end): it is imported
        assert recorded(branch_db)[: len(before)] == before
        return
    assert_refused_cleanly(code, err, path)
    assert recorded(branch_db) == before


@SETTINGS
@given(data=mangled(VALID))
def test_replay_of_a_bad_file_names_it_and_exits_2(tmp_path, data):
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    code, err = run("replay", "--strict", str(path))
    if code != 0:
        assert_refused_cleanly(code, err, path)


@SETTINGS
@given(data=st.one_of(mangled(BANK_HEADER + b"1\t2\t3\n"), mangled(VALID)))
def test_log_convert_of_a_bad_file_names_it_and_exits_2(tmp_path, data):
    path = tmp_path / "in.tsv"
    path.write_bytes(data)
    out = tmp_path / "out.csv"
    code, err = run("log", "convert", str(path), "--out", str(out))
    if code != 0:
        assert_refused_cleanly(code, err, path)


@SETTINGS
@given(data=mangled(b'[branch]\nname = "Test"\n[[services]]\ncode = "CASH"\n'))
def test_a_bad_config_file_names_the_file_and_exits_2(tmp_path, data):
    path = tmp_path / "branch.toml"
    path.write_bytes(data)
    code, err = run("queue", "--config", str(path), "--db", f"sqlite:///{tmp_path / 'q.sqlite3'}")
    assert code == 2, err
    assert err.startswith(f"frontdesk: {path}") and "Traceback" not in err


@SETTINGS
@given(
    option=st.sampled_from(["--from", "--to", "--target-wait", "--format"]),
    value=st.text(max_size=30).filter(lambda v: not v.startswith("-")),
)
def test_bad_report_options_exit_2_with_one_line(tmp_path, branch_db, option, value):
    before = recorded(branch_db)
    code, err = run("report", option, value, "--db", branch_db, "--out", str(tmp_path / "r.json"))
    assert code in (0, 2), err
    if code == 2:
        # our refusal, or Click's usage error naming the command (a --target-wait that is no number)
        assert err.startswith(("frontdesk: ", "frontdesk report: ")) and err.count("\n") == 1, err
        assert "Traceback" not in err
    assert recorded(branch_db) == before


@SETTINGS
@given(pin=st.text(max_size=12))
def test_any_pin_typed_is_accepted_or_refused_in_one_line(pin):
    from kiosk.errors import UsageError
    from kiosk.store.pins import check_pin_format

    try:
        assert check_pin_format(pin) == pin and pin.isdigit() and 4 <= len(pin) <= 8
    except UsageError as err:
        assert str(err) == "a PIN is 4 to 8 digits"


def pins_of(url: str) -> list[tuple]:
    store = open_store(url)
    try:
        return store.all("SELECT role, name, pin_hash FROM staff_pin ORDER BY role, name")
    finally:
        store.close()


@settings(SETTINGS, max_examples=15)  # a PIN that is taken costs a scrypt hash (~50 ms)
@given(data=st.one_of(mangled(b"2580\n"), st.binary(max_size=40)))
def test_pin_set_reads_any_bytes_on_stdin_sets_the_pin_or_refuses_in_one_line(tmp_path, branch_db, data):
    def piped() -> io.TextIOWrapper:  # stdin as Python opens a pipe: UTF-8, undecodable bytes kept as surrogates
        return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape")

    typed = piped().readline().strip()
    before, pins = recorded(branch_db), pins_of(branch_db)
    with mock.patch("sys.stdin", piped()):
        code, err = run("pin", "set", "--role", "staff", "--name", "Bold", "--db", branch_db)
    assert recorded(branch_db) == before
    if typed.isascii() and typed.isdigit() and 4 <= len(typed) <= 8:
        assert code == 0, err
        assert [p[:2] for p in pins_of(branch_db)] == [("staff", "Bold")]
    else:
        assert (code, err) == (2, "frontdesk: a PIN is 4 to 8 digits\n")
        assert pins_of(branch_db) == pins
