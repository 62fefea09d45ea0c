"""The branch config fuzzed with hypothesis: whatever the file holds, it loads or the command says in
one line which file and which key (or line, for the syntax) is wrong, exits 2, and the database
is left as it was.

tests/reports/test_fuzz_inputs.py mangles a config that can never load (it lacks its required
keys); here the real example is mangled (so a mangling may leave it valid: then it loads), each
key is given values of every kind (text with NULs, a huge string, huge numbers, nan and inf,
lists, tables), and the addresses the devices and the camera read are fuzzed as in their own
tests (tests/device/test_fuzz_ports.py, tests/vision/test_fuzz_sources.py).
"""

from __future__ import annotations

import contextlib
import io
import re
import tomllib
from pathlib import Path

import pytest
import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config import DEFAULT_CONFIG_PATH
from kiosk.cli import main
from kiosk.store import open_store
from tests.device.test_fuzz_ports import BAD_PORTS
from tests.vision.test_fuzz_sources import BAD_ADDRESSES

SETTINGS = settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
EXAMPLE = DEFAULT_CONFIG_PATH.read_bytes()
TOML_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)  # TOML holds no lone surrogate


def run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(argv))
    return code, err.getvalue()


@pytest.fixture
def branch_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'branch.sqlite3'}"
    assert run("ticket", "new", "--service", "CASH", "--db", url)[0] == 0
    return url


def recorded(url: str) -> list[tuple]:
    store = open_store(url)
    try:
        return [*store.all("SELECT * FROM ticket ORDER BY id"), *store.all("SELECT * FROM period ORDER BY ticket_id")]
    finally:
        store.close()


def queue_with(path: Path, db: str) -> tuple[int, str]:
    """`frontdesk queue` under this config: it reads the config and the database, writes nothing."""
    before = recorded(db)
    code, err = run("queue", "--config", str(path), "--db", db)
    assert recorded(db) == before
    assert "Traceback" not in err
    return code, err


def assert_refused(code: int, err: str, path: Path, key: str) -> None:
    assert code == 2, err
    assert err.count("\n") == 1, err  # one line
    assert err.startswith(f"frontdesk: {path}: {key}"), err


def mangled_example() -> st.SearchStrategy[bytes]:
    def flip(at: int, byte: int) -> bytes:
        return EXAMPLE[:at] + bytes([byte]) + EXAMPLE[at + 1 :]

    text = EXAMPLE.decode()
    return st.one_of(
        st.integers(0, len(EXAMPLE)).map(lambda n: EXAMPLE[:n]),  # truncated
        st.tuples(st.integers(0, len(EXAMPLE) - 1), st.sampled_from([0xFF, 0xE9, 0x00, 0x80, 0x22, 0x5B])).map(
            lambda t: flip(*t)
        ),
        st.just(text.replace("Square", "Squäre").encode("latin-1", "replace")),  # Latin-1 (Cyrillic lost)
        st.just(text.replace("\n", "\r\n").encode("utf-16")),  # UTF-16 with a BOM, Windows line ends
        st.just(text.replace("\n", "\r\n").encode()),  # Windows line ends: still TOML
        st.just(b"\xef\xbb\xbf" + EXAMPLE),  # UTF-8 with a BOM (Notepad): read
        st.just(EXAMPLE + b'\n[kiosk2]\nx = "' + b"x" * 200_000 + b'"\n'),  # a huge line, an unknown table
        st.just(b""),
    )


@SETTINGS
@given(data=mangled_example())
def test_the_example_mangled_loads_or_names_the_file_and_the_key_or_line(tmp_path, branch_db, data):
    path = tmp_path / "branch.toml"
    path.write_bytes(data)
    code, err = queue_with(path, branch_db)
    if code == 0:
        return
    assert_refused(code, err, path, "")
    problem = err.split(f"{path}: ", 1)[1]
    key, _ = problem.split(": ", 1)
    if key == "(syntax)":  # where the file's text stops being TOML
        assert re.search(r"at line \d+, column \d+|at end of document", problem), err
    else:
        assert key in ("(file)", "(top level)") or re.fullmatch(r"\S+", key), err  # a key, as services[0].code


def test_the_example_with_a_bom_or_windows_line_ends_loads(tmp_path, branch_db):
    for data in (b"\xef\xbb\xbf" + EXAMPLE, EXAMPLE.replace(b"\n", b"\r\n")):
        path = tmp_path / "branch.toml"
        path.write_bytes(data)
        assert queue_with(path, branch_db) == (0, "")


KEYS = [
    (table, key)
    for table, values in tomllib.loads(EXAMPLE.decode()).items()
    if isinstance(values, dict)
    for key, value in values.items()
    if not isinstance(value, dict)
]
ANY_VALUE = st.one_of(
    TOML_TEXT,
    st.just("\x00" * 3),
    st.just("y" * 100_000),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(),  # nan and inf too
    st.booleans(),
    st.lists(st.integers() | TOML_TEXT, max_size=4),
    st.dictionaries(st.sampled_from(["a", "port", "x"]), st.integers(), max_size=2),
)


@SETTINGS
@given(where=st.sampled_from(KEYS), value=ANY_VALUE)
def test_any_value_under_any_key_loads_or_names_that_key(tmp_path, branch_db, where, value):
    table, key = where
    doc = tomlkit.parse(EXAMPLE.decode())
    doc[table][key] = value
    path = tmp_path / "branch.toml"
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    code, err = queue_with(path, branch_db)
    if code != 0:
        assert_refused(code, err, path, f"{table}.{key}")


@SETTINGS
@given(device=st.sampled_from(["printer", "sensor", "light"]), port=BAD_PORTS)
def test_a_device_port_that_can_be_none_names_its_key(tmp_path, branch_db, device, port):
    doc = tomlkit.parse(EXAMPLE.decode())
    doc["devices"] = {device: {"port": port}}
    path = tmp_path / "branch.toml"
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    assert_refused(*queue_with(path, branch_db), path, f"devices.{device}.port: ")


@pytest.mark.parametrize("baudrate", [0, -9600, 49, 12_000_001, 2**31, 2**63 - 1])
def test_a_line_speed_no_uart_runs_at_names_its_key(tmp_path, branch_db, baudrate):
    doc = tomlkit.parse(EXAMPLE.decode())
    doc["devices"] = {"sensor": {"port": "/dev/ttyUSB0", "baudrate": baudrate}}
    path = tmp_path / "branch.toml"
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    assert_refused(*queue_with(path, branch_db), path, f"devices.sensor.baudrate: baud rate {baudrate}")


@SETTINGS
@given(source=BAD_ADDRESSES)
def test_a_camera_source_that_names_none_names_its_key(tmp_path, branch_db, source):
    doc = tomlkit.parse(EXAMPLE.decode())
    doc["camera"]["source"] = source
    path = tmp_path / "branch.toml"
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    assert_refused(*queue_with(path, branch_db), path, "camera.source: ")
