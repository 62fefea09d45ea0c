"""Staff and manager PINs: salted scrypt hashes in the branch database, with a lockout.

A PIN is 4 to 8 digits, typed on the console's on-screen keypad. Only its scrypt
hash is stored. Five wrong tries in a row lock that name for five minutes; the
count lives in the database, so restarting the console does not reset it::

    pins = PinStore(open_store("sqlite:///:memory:"))
    pins.set_pin("staff", "Saraa", "2580")
    pins.verify("staff", "Saraa", "2580").ok       # True
    pins.verify("staff", "Saraa", "1111").ok       # False (and one try counted)
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.errors import UsageError
from kiosk.store.sql import SqlStore

ROLES = ("staff", "manager")
MAX_TRIES = 5
LOCK_S = 300.0
# scrypt with N=2**14, r=8 (16 MiB, ~50 ms here): slow enough that guessing 10**4
# PINs from a stolen database costs minutes per name, fast enough for a sign-in.
_N, _R, _P = 2**14, 8, 1
_KDF = f"scrypt${_N}${_R}${_P}"


@dataclass(frozen=True)
class PinCheck:
    """The answer to a sign-in: accepted, or refused (and for how long it stays locked).

    ``while_locked``: refused unchecked because the name was already locked (the web's 429),
    not a wrong PIN (the fifth wrong PIN locks the name but is still a wrong PIN).
    """

    ok: bool
    locked_for_s: float = 0.0
    while_locked: bool = False


def _hash(pin: str, salt: bytes, kdf: str = _KDF) -> bytes:
    _, n, r, p = kdf.split("$")
    return hashlib.scrypt(pin.encode(), salt=salt, n=int(n), r=int(r), p=int(p), maxmem=64 * 2**20, dklen=32)


def check_pin_format(pin: str) -> str:
    """The PIN itself if it is 4-8 digits; UsageError otherwise."""
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise UsageError("a PIN is 4 to 8 digits")
    return pin


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise UsageError(f"unknown role {role!r} (use {' or '.join(ROLES)})")
    return role


class PinStore:
    def __init__(self, store: SqlStore, clock: Callable[[], float] = time.time):
        self.store = store
        self.clock = clock

    def set_pin(self, role: str, name: str, pin: str) -> None:
        """Create or replace the PIN of ``name`` in ``role``; clears any lockout."""
        _check_role(role)
        name = name.strip()
        if not name:
            raise UsageError("a PIN needs a name (the staff member's work name)")
        if "\0" in name:
            raise UsageError("a name holds no NUL character")
        salt = os.urandom(16)
        digest = _hash(check_pin_format(pin), salt)
        with self.store.transaction(lock=True):
            self.store.run("DELETE FROM staff_pin WHERE role = ? AND name = ?", (role, name))
            self.store.run(
                "INSERT INTO staff_pin (role, name, kdf, salt, pin_hash, failures, locked_until, set_at)"
                " VALUES (?, ?, ?, ?, ?, 0, NULL, ?)",
                (role, name, _KDF, salt.hex(), digest.hex(), self.clock()),
            )

    def names(self, role: str) -> list[str]:
        """Who can sign in with ``role`` (the console shows these as buttons)."""
        _check_role(role)
        with self.store.transaction(lock=False):
            rows = self.store.all("SELECT name FROM staff_pin WHERE role = ? ORDER BY name", (role,))
        return [r[0] for r in rows]

    def verify(self, role: str, name: str, pin: str) -> PinCheck:
        """Check a PIN; count a wrong one; refuse everything while the name is locked."""
        now = self.clock()
        row = None
        if "\0" not in name:  # no name holds a NUL (PostgreSQL's text cannot): an unknown name, not a query
            with self.store.transaction(lock=False):
                row = self.store.one(
                    "SELECT kdf, salt, pin_hash, failures, locked_until FROM staff_pin WHERE role = ? AND name = ?",
                    (role, name),
                )
        if row is None:
            _hash(pin, b"\0" * 16)  # the same work as a real check: timing tells nothing
            return PinCheck(False)
        kdf, salt, stored, failures, locked_until = row
        if locked_until is not None and locked_until > now:
            return PinCheck(False, locked_until - now, while_locked=True)
        good = hmac.compare_digest(_hash(pin, bytes.fromhex(salt), kdf), bytes.fromhex(stored))
        with self.store.transaction(lock=True):
            if good:
                self.store.run(
                    "UPDATE staff_pin SET failures = 0, locked_until = NULL WHERE role = ? AND name = ?", (role, name)
                )
                return PinCheck(True)
            # read again under the lock: another console may have counted a try meanwhile
            failures = self.store.value("SELECT failures FROM staff_pin WHERE role = ? AND name = ?", (role, name)) + 1
            lock = now + LOCK_S if failures >= MAX_TRIES else None
            self.store.run(
                "UPDATE staff_pin SET failures = ?, locked_until = ? WHERE role = ? AND name = ?",
                (0 if lock else failures, lock, role, name),
            )
        return PinCheck(False, LOCK_S if lock else 0.0)
