"""Fixtures for the screens: a real SQLite store and engine, a hand-moved clock, the catalogs."""

from __future__ import annotations

import pytest

from kiosk.engine import Engine
from kiosk.i18n import Translator
from kiosk.store import open_store
from kiosk.ui.backend import EngineHandle, InlineRunner
from tests.conftest import Clock


@pytest.fixture(scope="session")
def tr() -> Translator:
    return Translator.load()


@pytest.fixture
def db_file(tmp_path):
    return f"sqlite:///{tmp_path / 'frontdesk.sqlite3'}"


@pytest.fixture
def ui_clock() -> Clock:
    return Clock()


@pytest.fixture
def handle(cfg, db_file, ui_clock):
    h = EngineHandle(lambda: Engine(cfg, open_store(db_file), clock=ui_clock))
    yield h
    h.drop()


@pytest.fixture
def run(handle) -> InlineRunner:
    return InlineRunner(handle)
