"""The durable log. ``open_store(url)`` picks SQLite or PostgreSQL from the URL.

Which database, first match wins: ``--db``, ``FRONTDESK_DB``, the config's
``[database] url``, then a SQLite file in the user data directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from kiosk.store.sql import Call, Reader, SqlStore, Writer, open_store

__all__ = ["Call", "Reader", "SqlStore", "Writer", "default_db_url", "open_store", "resolve_db_url"]


def default_db_url() -> str:
    folder = Path(platformdirs.user_data_dir("frontdesk"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'frontdesk.sqlite3'}"


def resolve_db_url(explicit: str | None, configured: str = "") -> str:
    return explicit or os.environ.get("FRONTDESK_DB") or configured or default_db_url()
