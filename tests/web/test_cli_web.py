"""``frontdesk web`` on the command line: its faults are one line and exit 2; ``[web]`` is validated."""

from __future__ import annotations

import subprocess

import pytest
from pydantic import ValidationError

from config import load_config
from config.loader import DEFAULT_CONFIG_PATH
from tests.conftest import REPO
from tests.web.conftest import FRONTDESK, wait_for


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*FRONTDESK, *args], capture_output=True, text=True, timeout=60, cwd=REPO)


def test_a_bad_port_is_one_line_and_exit_2(sqlite_db):
    done = run("web", "--db", sqlite_db, "--port", "70000")
    assert done.returncode == 2
    assert done.stderr.strip() == "frontdesk: --port 70000: use 1 to 65535"


def test_a_bad_web_section_names_file_and_key(tmp_path):
    path = tmp_path / "branch.toml"
    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8").replace('labels = "default"', 'labels = "sometimes"')
    path.write_text(text, encoding="utf-8")
    done = run("web", "--config", str(path))
    assert done.returncode == 2
    assert done.stderr.startswith(f"frontdesk: {path}: web.labels:") and "Traceback" not in done.stderr


def test_public_url_must_be_an_http_address():
    cfg = load_config(None)
    assert cfg.web.public_url == "" and cfg.web.host == "127.0.0.1"
    with pytest.raises(ValidationError):
        cfg.web.model_validate({"public_url": "192.168.1.20:8080"})
    assert cfg.web.model_validate({"public_url": "http://192.168.1.20:8080"}).public_url


def test_rotating_labels_go_through_the_branch_languages(sqlite_db, web_server, browser, tmp_path):
    path = tmp_path / "branch.toml"
    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
    path.write_text(
        text.replace('labels = "default"', 'labels = "rotate"').replace("rotate_s = 8", "rotate_s = 2"),
        encoding="utf-8",
    )
    server = web_server(sqlite_db, config=path)
    driver = browser(1280, 720)
    driver.get(server.base + "/board")
    title = lambda: driver.find_element("id", "now-title").text  # noqa: E731
    wait_for(lambda: title() == "Одоо дуудаж байна", "the default language first")
    wait_for(lambda: title() == "Հիմա հրավիրվում են", "Armenian next")
    wait_for(lambda: title() == "Now calling", "then English")
