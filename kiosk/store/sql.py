"""The log store on SQLite or PostgreSQL, behind one interface.

All writes go through :meth:`SqlStore.writing`, which serialises writers
branch-wide (SQLite's write lock taken up front, a PostgreSQL advisory lock)
and hands the caller the day's live tickets read *inside* that lock, so two
kiosks or counters can never issue one number twice or call one ticket twice.

>>> store = open_store("sqlite:///:memory:")
>>> with store.writing("2026-11-24") as w:
...     t = w.issue(prefix="A", service="CASH", priority=False, language="en", at=0.0)
>>> t.number
'A001'
"""

from __future__ import annotations

import contextlib
import itertools
import secrets
import sqlite3
import threading
from bisect import bisect_left, insort
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from threading import get_ident
from typing import Any, Generic, TypeVar

from kiosk.core.model import Action, Alert, LiveTicket, Period, QueueObservation, State, Ticket
from kiosk.errors import StoreError
from kiosk.store.changes import CHANGE_CHANNEL
from kiosk.store.migrations import APP_MARKER, LATEST_VERSION, MIGRATIONS, SCRATCH_MEMORY_SPARE_INDEXES

_TICKET_COLS = "t.id, t.day, t.number, t.prefix, t.seq, t.priority, t.issued_at, t.language"
_PERIOD_COLS = "p.ticket_id, p.seq, p.state, p.action, p.started_at, p.ended_at, p.service, p.counter, p.staff"
_LOCK_KEY = 0x46524F4E  # advisory lock id for PostgreSQL ("FRON")
STATUS_TOKEN_BYTES = 16  # 128 random bits per status page address

Row = tuple[Any, ...]  # a row as the driver gives it: the columns in the order the query names them
Params = tuple[object, ...]  # the values of a statement's ``?`` placeholders, in order
Memo = dict[Any, Any]  # see SqlStore.private_memo: each store module keeps its own kind of entry


def _ticket(row: Row) -> Ticket:
    return Ticket(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6], row[7])


# the enums by their stored value: a dict lookup, several times cheaper than calling the enum
# for each of the many periods a check-in reads
_STATE_OF = {s.value: s for s in State}
_ACTION_OF = {a.value: a for a in Action}


def _period(row: Row) -> Period:
    return Period(row[0], row[1], _STATE_OF[row[2]], _ACTION_OF[row[3]], row[4], row[5], row[6], row[7], row[8])


# a ticket with one of its periods: the period's ticket_id is the ticket's id, not read twice
# (every column read costs a driver call and a Python object)
_LIVE_COLS = f"{_TICKET_COLS}, p.seq, p.state, p.action, p.started_at, p.ended_at, p.service, p.counter, p.staff"


def _live_ticket(r: Row) -> LiveTicket:
    """A row of _LIVE_COLS, built in one call without slicing it: every check-in reads the
    whole live queue, every counter action one ticket."""
    return LiveTicket(
        Ticket(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7]),
        Period(r[0], r[8], _STATE_OF[r[9]], _ACTION_OF[r[10]], r[11], r[12], r[13], r[14], r[15]),
    )


_LAST_PERIOD_SQL = (
    f"SELECT {_LIVE_COLS} FROM ticket t JOIN period p ON p.ticket_id = t.id"
    " WHERE t.day = ? AND t.number = ? ORDER BY p.seq DESC LIMIT 1"
)
# driven from the few open periods (a partial index), not the day's many tickets, in the
# index's order (ticket ids: the order of issue); CROSS JOIN fixes that order for SQLite's
# planner and means JOIN elsewhere
_LIVE_SQL = (
    f"SELECT {_LIVE_COLS} FROM period p CROSS JOIN ticket t"
    " WHERE p.ended_at IS NULL AND t.id = p.ticket_id AND t.day {day_is} ? ORDER BY p.ticket_id"
)
_LIVE_OF_DAY_SQL = _LIVE_SQL.format(day_is="=")
_LIVE_THROUGH_DAY_SQL = _LIVE_SQL.format(day_is="<=")

# what a private store (see ``SqlStore.private_memo``) keeps of its periods, kept true by the
# writes in this module: each day's live tickets by number, in the order of issue (that of
# _LIVE_OF_DAY_SQL), when each counter last called or served someone, the day's numbers, and
# the services ended
_LIVE_MEMO = "sql.live"
_COUNTERS_MEMO = "sql.counters_seen"
_LAST_SEQ_MEMO = "sql.last_seq"  # the last number given of each (day, prefix)
_COUNTER_STATES = (State.CALLED, State.SERVING)  # the states counters_seen reads
# per service, every service ended as (ended_at, started_at), in the order recent_service_times
# takes them (that of the index period_service_ended_started, which its query reads backwards)
_SERVICES_MEMO = "sql.services_ended"
# "mark": the mark of the last call written (see call_mark); "first": the first calls written
# since the wait estimate last took them (see take_first_calls)
_CALLS_MEMO = "sql.calls"
_CALL_MARKS = itertools.count(1)  # process-wide: a mark forgotten (a rollback) never comes back
_SERVICES_EVER_SQL = (
    "SELECT ended_at, started_at FROM period WHERE service = ? AND state = 'serving' AND ended_at IS NOT NULL"
    " ORDER BY ended_at, started_at"
)
_COUNTERS_EVER_SQL = (
    "SELECT counter, MAX(started_at) FROM period WHERE state IN ('called', 'serving')"
    " AND counter IS NOT NULL GROUP BY counter"
)


class _Dialect:
    name = "sqlite"
    id_type = "INTEGER PRIMARY KEY AUTOINCREMENT"
    real_type = "REAL"

    def sql(self, text: str) -> str:
        return text


class _Postgres(_Dialect):
    name = "postgresql"
    id_type = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    real_type = "DOUBLE PRECISION"

    def __init__(self) -> None:
        self._translated: dict[str, str] = {}  # the store's few dozen statements, each rewritten once

    def sql(self, text: str) -> str:
        translated = self._translated.get(text)
        if translated is None:
            translated = self._translated[text] = text.replace("?", "%s")
        return translated


@dataclass
class Reader:
    """What a caller may read inside one transaction: the day's live tickets and what estimates need."""

    store: "SqlStore"
    day: str
    _live: list[LiveTicket] | None = None

    @property
    def live(self) -> list[LiveTicket]:
        """The day's unfinished tickets, read under the lock on first use."""
        if self._live is None:
            self._live = self.store.live_rows(self.day)
        return self._live

    def find_live(self, number: str) -> LiveTicket | None:
        """One unfinished ticket of the day by number (without reading the whole queue)."""
        if self._live is not None:
            return next((t for t in self._live if t.ticket.number == number), None)
        known = self.store.known_live(self.day)
        if known is not None:
            return known.get(number)
        last = self._last(number)
        return last if last is not None and not last.state.terminal else None

    def _last(self, number: str) -> LiveTicket | None:
        row = self.store.one(_LAST_PERIOD_SQL, (self.day, number))
        return _live_ticket(row) if row else None

    def final_state(self, number: str) -> State | None:
        """The state a finished ticket ended in; None if there is no such ticket today."""
        last = self._last(number)
        return last.state if last else None

    def open_through(self, day: str) -> list[LiveTicket]:
        """Every unfinished ticket of ``day`` and the days before it (what closing the day closes)."""
        return self.store.live_rows(day, through=True)

    def recent_service_times(self, service: str, since: float, limit: int = 30) -> list[float]:
        """Durations of the latest ``limit`` services of ``service`` that ended after ``since``, oldest first."""
        memo = self.store.private_memo(_SERVICES_MEMO)
        if memo is not None:
            ended = memo.get(service)
            if ended is None:
                ended = memo[service] = [(r[0], r[1]) for r in self.store.all(_SERVICES_EVER_SQL, (service,))]
            first = max(bisect_left(ended, (since,)), len(ended) - limit)
            return [end - start for end, start in ended[first:]]
        rows = self.store.all(
            "SELECT ended_at - started_at FROM period WHERE service = ? AND state = 'serving' AND ended_at >= ?"
            " ORDER BY ended_at DESC LIMIT ?",
            (service, since, limit),
        )
        return [r[0] for r in reversed(rows)]

    def counters_seen(self, since: float) -> dict[int, float]:
        """When each counter last called or served someone, for those that did since ``since``."""
        memo = self.store.private_memo(_COUNTERS_MEMO)
        if memo is not None:
            # the latest call of each counter ever is the latest since ``since`` if it is after it
            if not memo:
                memo.update({r[0]: r[1] for r in self.store.all(_COUNTERS_EVER_SQL)})
            return {c: at for c, at in memo.items() if at >= since}
        rows = self.store.all(
            "SELECT counter, MAX(started_at) FROM period WHERE state IN ('called', 'serving')"
            " AND started_at >= ? AND counter IS NOT NULL GROUP BY counter",
            (since,),
        )
        return {r[0]: r[1] for r in rows}


@dataclass
class Writer(Reader):
    """What a caller may do inside one write transaction."""

    def last_seq(self, prefix: str) -> int:
        """The last number of ``prefix`` given today (0: none yet)."""
        memo = self.store.private_memo(_LAST_SEQ_MEMO)
        if memo is not None and (self.day, prefix) in memo:
            last: int = memo[self.day, prefix]
            return last
        last_given: int | None = self.store.value(
            "SELECT MAX(seq) FROM ticket WHERE day = ? AND prefix = ?", (self.day, prefix)
        )
        return last_given or 0

    def issue(self, prefix: str, service: str, priority: bool, language: str | None, at: float) -> Ticket:
        """Give the next number of ``prefix`` today and open its waiting period."""
        seq = self.last_seq(prefix) + 1
        if seq > 999:
            number = f"{prefix}{seq}"  # a very busy day: numbers grow a digit rather than repeat
        else:
            number = f"{prefix}{seq:03d}"
        ticket_id = self.store.insert(
            "INSERT INTO ticket (day, number, prefix, seq, priority, issued_at, language) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (self.day, number, prefix, seq, int(priority), at, language),
        )
        ticket = Ticket(ticket_id, self.day, number, prefix, seq, priority, at, language)
        memo = self.store.private_memo(_LAST_SEQ_MEMO)
        if memo is not None:
            memo[self.day, prefix] = seq
        period = Period(ticket.id, 0, State.WAITING, Action.ISSUE, at, None, service)
        self.store.insert_period(period)
        issued = LiveTicket(ticket, period)
        if self._live is not None:
            self._live.append(issued)
        self.store.keep_live(issued, was_finished=False)
        return ticket

    def move(
        self,
        live: LiveTicket,
        state: State,
        action: Action,
        at: float,
        service: str | None = None,
        counter: int | None = None,
        staff: str | None = None,
    ) -> LiveTicket:
        """Close ``live``'s open period at ``at`` and open the next one."""
        at = max(at, live.since)  # never end a period before it began (clock steps)
        if not live.state.terminal:  # a final state was closed when it was entered
            ended = self.store.run(
                "UPDATE period SET ended_at = ? WHERE ticket_id = ? AND seq = ? AND ended_at IS NULL",
                (at, live.ticket.id, live.period.seq),
            )
            if ended != 1:
                raise StoreError(f"ticket {live.ticket.number} changed under us; try again")
            services = self.store.private_memo(_SERVICES_MEMO) if live.state is State.SERVING else None
            if services is not None and live.service in services:
                insort(services[live.service], (at, live.since))
        period = Period(
            live.ticket.id,
            live.period.seq + 1,
            state,
            action,
            at,
            at if state.terminal else None,  # a final state is an instant
            service or live.service,
            counter,
            staff,
        )
        self.store.insert_period(period)
        if action is Action.CALL:
            self.store.keep_first_calls(live, period)
        moved = LiveTicket(live.ticket, period)
        if self._live is not None:
            self._live[:] = [t for t in self._live if t.ticket.id != live.ticket.id]
            if not state.terminal:
                self._live.append(moved)
        self.store.keep_live(moved, was_finished=live.state.terminal)
        return moved

    def revive(self, number: str) -> LiveTicket:
        """A finished ticket with its final period, so that it can be recalled."""
        last = self._last(number)
        assert last is not None
        return last

    def add_status_token(self, ticket_id: int) -> str:
        """A new random token for the ticket's status page (128 bits, URL-safe), kept with the ticket."""
        token = secrets.token_urlsafe(STATUS_TOKEN_BYTES)
        self.store.run("INSERT INTO status_token (token, ticket_id) VALUES (?, ?)", (token, ticket_id))
        return token


@dataclass(frozen=True, slots=True)
class Call:
    """A ticket called (or called again) to a counter, as the hall board shows it.

    ``ticket_id`` with ``seq`` (the period that opened with the call) names this one call:
    a recall is a new call with a later ``seq``.
    """

    ticket_id: int
    seq: int
    number: str
    counter: int | None
    service: str
    language: str | None
    action: Action
    at: float


T = TypeVar("T")


class Transaction(Generic[T]):
    """``with store.transaction(lock)`` (or ``writing``/``reading``): begun on entry, committed
    on a clean exit, rolled back when the body raises; the value is what ``as`` binds.

    A class rather than a generator-based context manager: the engine opens one per action
    (a replay opens 60,000), and contextlib's machinery cost more than the BEGIN and COMMIT.
    """

    __slots__ = ("_store", "_lock", "_value")

    def __init__(self, store: "SqlStore", lock: bool, value: T):
        self._store = store
        self._lock = lock
        self._value = value

    def __enter__(self) -> T:
        self._store.begin(self._lock)
        return self._value

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        self._store.end(self._lock, commit=exc_type is None)


class SqlStore:
    """The append-mostly log: tickets, their periods, alerts, feedback, camera counts.

    Recorded values are never rewritten: the only update is closing an open
    period or an open alert, once.
    """

    def __init__(
        self,
        url: str,
        conn: Any,  # a DB-API connection: sqlite3's, psycopg's, or a wrapper of one (kiosk.store.pin_lock)
        dialect: _Dialect,
        private: bool = False,
        own_connection: bool = False,
    ) -> None:
        self.url = url
        self._conn = conn
        self._dialect = dialect
        # the statements of a transaction run on one cursor, not a new one each (a replay runs
        # 400,000); only on a driver connection the store opened itself (``own_connection``),
        # never through a caller's wrapper (the web server's guarded PIN-lock connection)
        self._tx_cursor = conn.cursor() if own_connection else conn
        # ``private``: no other connection can ever read or write this database (an in-memory
        # SQLite belongs to the one connection that made it), so what this store read or wrote
        # is the truth until it writes again; see ``private_memo``
        self._memos: dict[str, Memo] | None = {} if private else None
        # one connection, several threads (the UI's worker, the camera, device callbacks):
        # a transaction holds the connection until it ends
        self._tx_lock = threading.Lock()
        self._tx_owner: int | None = None

    # -- the interface the store's own modules build on (history, pins, the writer) -------------
    # SQL is written with ``?`` placeholders; the dialect turns them into its own. Driver
    # errors become StoreErrors. Run them inside ``transaction`` to write:
    #
    #     with store.transaction(lock=True):
    #         store.run("DELETE FROM staff_pin WHERE role = ?", ("staff",))
    #         left = store.value("SELECT COUNT(*) FROM staff_pin")  # an aggregate: always one row
    #         pin = store.one("SELECT pin_hash FROM staff_pin WHERE name = ?", ("Saraa",))  # or None

    @property
    def engine_name(self) -> str:
        """``sqlite`` or ``postgres``: for the few statements that differ."""
        return self._dialect.name

    def _execute(self, sql: str, params: Params = ()) -> Any:  # the driver's cursor
        # the transaction's cursor only in the thread that holds the transaction: another
        # thread's statement outside any transaction gets a cursor of its own
        runner = self._tx_cursor if self._tx_owner == get_ident() else self._conn
        try:
            return runner.execute(self._dialect.sql(sql), params)
        except Exception as exc:  # driver errors become messages a clerk can act on
            raise translate_error(exc, self.url) from None

    def one(self, sql: str, params: Params = ()) -> Row | None:
        """The first row of a query (a tuple), or None."""
        row: Row | None = self._execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        """Every row of a query, as tuples."""
        rows: list[Row] = self._execute(sql, params).fetchall()
        return rows

    def value(self, sql: str, params: Params = ()) -> Any:
        """The first column of a query's first row: an aggregate (COUNT, MAX), which always
        gives one, or a row the database must hold (a StoreError names it when it does not)."""
        row = self.one(sql, params)
        if row is None:
            raise StoreError(f"{_redact(self.url)}: a row the database must hold is missing ({sql})")
        return row[0]

    def run(self, sql: str, params: Params = ()) -> int:
        """A statement that changes rows; how many it changed."""
        changed: int = self._execute(sql, params).rowcount
        return changed

    def insert(self, sql: str, params: Params = ()) -> int:
        """An INSERT of one row into a table with an ``id`` column; the new row's id.

        PostgreSQL is asked with ``RETURNING id``. SQLite's cursor already knows the id
        (``lastrowid``), and RETURNING costs it 42 % more instructions than the plain insert of a
        ticket (it gathers the rows to return apart before handing them over): every check-in.
        """
        if self._dialect.name == "sqlite":
            new_id: int = self._execute(sql, params).lastrowid
        else:
            new_id = self._execute(f"{sql} RETURNING id", params).fetchone()[0]
        return new_id

    def run_many(self, sql: str, rows: list[Params]) -> None:
        """One statement over many rows (a bulk import), in one driver call."""
        if not rows:
            return
        self._forget_memos()  # a bulk write may change anything a memo holds
        try:
            self._conn.cursor().executemany(self._dialect.sql(sql), rows)
        except Exception as exc:
            raise translate_error(exc, self.url) from None

    def insert_period(self, p: Period) -> None:
        """Record one period of a ticket (inside a write transaction)."""
        seen = self.private_memo(_COUNTERS_MEMO)
        if seen and p.state in _COUNTER_STATES and p.counter is not None:
            seen[p.counter] = max(p.started_at, seen.get(p.counter, p.started_at))
        calls = self.private_memo(_CALLS_MEMO) if p.action is Action.CALL else None
        if calls is not None:
            calls["mark"] = next(_CALL_MARKS)
        self.run(
            "INSERT INTO period (ticket_id, seq, state, action, started_at, ended_at, service, counter, staff)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                p.ticket_id,
                p.seq,
                p.state.value,
                p.action.value,
                p.started_at,
                p.ended_at,
                p.service,
                p.counter,
                p.staff,
            ),
        )

    @property
    def private(self) -> bool:
        """No other connection can ever read or write this database (an in-memory SQLite)."""
        return self._memos is not None

    def private_memo(self, name: str) -> Memo | None:
        """A dict named ``name`` in which a store module may keep what it read, for a store no
        other connection can write (an in-memory SQLite, such as a replay's scratch store);
        None for every other store, which must read again each time.

        The module keeps it true: it forgets an entry before it writes what the entry says;
        every memo is emptied when a transaction rolls back (what was read inside it may be
        undone).
        """
        if self._memos is None:
            return None
        memo = self._memos.get(name)
        if memo is None:
            memo = self._memos[name] = {}
        return memo

    def call_mark(self) -> int | None:
        """A private store's mark of the last call it wrote, different after every call (and
        never the same for two calls); None for every other store, or when it is not known (read
        the calls themselves). What lets the wait estimate skip asking for new first calls."""
        memo = self.private_memo(_CALLS_MEMO)
        return memo.get("mark") if memo is not None else None

    def keep_first_calls(self, live: LiveTicket, call: Period) -> None:
        """Keep a private store's first calls true after ``call`` was written for ``live`` (the
        ticket with its period before the call): a call of a ticket whose one period before was
        not a call is its first (the ticket's first call after its issue, as every replay's);
        after a later period only the log knows, so the list is forgotten until it is taken."""
        calls = self.private_memo(_CALLS_MEMO)
        if calls is None or "first" not in calls or call.state is not State.CALLED:
            return
        if live.period.seq > 0:
            del calls["first"]
        elif live.state is not State.CALLED:
            calls["first"].append((live.ticket.id, call.started_at, call.started_at - live.ticket.issued_at))

    def take_first_calls(self) -> list[tuple[int, float, float]] | None:
        """A private store's first calls written since the last take, as (ticket id, called at,
        wait) in the order written; None when not known (every other store, the first take, or
        forgotten: a rollback, a bulk import, a call after a transfer): read them from the log.
        Either way the store starts to keep them anew, so read the log in the same transaction.
        What lets the wait estimate learn each first call without a query (kiosk.store.estimate_log)."""
        calls = self.private_memo(_CALLS_MEMO)
        if calls is None:
            return None
        first = calls.get("first")
        calls["first"] = []
        return first

    def transaction(self, lock: bool) -> "Transaction[None]":
        """One transaction on this store's connection; ``lock``: the write lock that
        serialises every writer of the branch (all kiosks and counters), taken at once."""
        return Transaction(self, lock, None)

    def begin(self, lock: bool) -> None:
        """Start a transaction (what ``transaction`` does on entry); only :class:`Transaction` calls it."""
        me = get_ident()
        if self._tx_owner == me:
            raise RuntimeError("nested store transaction")
        self._tx_lock.acquire()
        self._tx_owner = me
        try:
            if self._dialect.name == "sqlite":
                self._execute("BEGIN IMMEDIATE" if lock else "BEGIN")
            else:
                self._execute("BEGIN")
                if lock:
                    self._execute("SELECT pg_advisory_xact_lock(?)", (_LOCK_KEY,))
        except BaseException:
            self._release()
            raise

    def end(self, lock: bool, commit: bool) -> None:
        """Commit (``commit``) or roll back the transaction ``begin`` started, and hand the connection on."""
        try:
            if commit:
                try:
                    if lock and self._dialect.name == "postgresql":
                        # every locked write tells the change feeds (kiosk.store.changes); delivered
                        # when, and only if, this transaction commits (SQLite's data_version needs no word)
                        self._execute("SELECT pg_notify(?, '')", (CHANGE_CHANNEL,))
                except BaseException:
                    self._forget_memos()
                    with contextlib.suppress(Exception):
                        self._conn.execute("ROLLBACK")
                    raise
                try:
                    self._execute("COMMIT")
                except BaseException:
                    self._forget_memos()
                    raise
            else:
                self._forget_memos()
                with contextlib.suppress(Exception):
                    self._conn.execute("ROLLBACK")
        finally:
            self._release()

    def _forget_memos(self) -> None:
        for memo in (self._memos or {}).values():
            memo.clear()

    def _release(self) -> None:
        self._tx_owner = None
        self._tx_lock.release()

    # -- schema ---------------------------------------------------------------
    def schema_version(self) -> int:
        return int(self.value("SELECT value FROM meta WHERE key = 'schema_version'"))

    def migrate(self, upto: int = LATEST_VERSION) -> None:
        """Bring the schema forward to ``upto``; refuse a database that is not ours."""
        with self.transaction(lock=True):
            tables = self._table_names()
            if "meta" not in tables:
                if tables:
                    raise StoreError(
                        f"{self.url} holds tables ({', '.join(sorted(tables)[:5])}) but is not a frontdesk"
                        " database; refusing to touch it"
                    )
                current = 0
            else:
                app = self.one("SELECT value FROM meta WHERE key = 'app'")
                if not app or app[0] != APP_MARKER:
                    raise StoreError(f"{self.url} is not a frontdesk database; refusing to touch it")
                current = self.schema_version()
            if current > LATEST_VERSION:
                raise StoreError(
                    f"{self.url} was made by a newer frontdesk (schema {current}, this one knows {LATEST_VERSION})"
                )
            d = self._dialect
            for version, statements in MIGRATIONS:
                if current < version <= upto:
                    for stmt in statements:
                        self._execute(stmt.format(id=d.id_type, real=d.real_type))
                    if version == 1:
                        self.run("INSERT INTO meta (key, value) VALUES ('app', ?)", (APP_MARKER,))
                        self.run("INSERT INTO meta (key, value) VALUES ('schema_version', '1')")
                    else:
                        self.run("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
                    current = version

    def check_current(self) -> None:
        """Refuse (StoreError) a database that is not frontdesk's or not at this version's schema."""
        with self.transaction(lock=False):
            if "meta" not in self._table_names():
                raise StoreError(f"{_redact(self.url)} is not a frontdesk database")
            current = self.schema_version()
        if current != LATEST_VERSION:
            raise StoreError(
                f"{_redact(self.url)} has schema {current}, this frontdesk reads {LATEST_VERSION}"
                " (start the kiosk or a console once to bring it forward)"
            )

    def _table_names(self) -> set[str]:
        if self._dialect.name == "sqlite":
            rows = self.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        else:
            rows = self.all("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return {r[0] for r in rows}

    # -- writing --------------------------------------------------------------
    def writing(self, day: str) -> "Transaction[Writer]":
        """One serialised write transaction with the day's live tickets read under the lock."""
        return Transaction(self, True, Writer(self, day))  # its commit notifies the change feeds

    def reading(self, day: str) -> "Transaction[Reader]":
        """One read transaction (no lock) with the day's live tickets read on first use."""
        return Transaction(self, False, Reader(self, day))

    def log_alert_changes(self, raised: list[Alert], cleared: list[Alert], at: float) -> None:
        """Log alerts raised and cleared. Idempotent: several consoles evaluating the
        same standard log each alert once (a raise of an alert already open is ignored)."""
        with self.transaction(lock=True):
            for a in cleared:
                self.run(
                    "UPDATE alert_log SET cleared_at = ? WHERE kind = ? AND subject = ? AND level = ?"
                    " AND cleared_at IS NULL",
                    (at, a.kind, a.subject, a.level.value),
                )
            for a in raised:
                self.run(
                    "INSERT INTO alert_log (kind, subject, level, value, limit_value, raised_at)"
                    " SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM alert_log"
                    " WHERE kind = ? AND subject = ? AND level = ? AND cleared_at IS NULL)",
                    (a.kind, a.subject, a.level.value, a.value, a.limit, at, a.kind, a.subject, a.level.value),
                )

    def record_feedback(self, ticket_id: int, rating: int, at: float) -> bool:
        """Store a 1-5 rating once per ticket; False if the ticket was already rated."""
        with self.transaction(lock=True):
            if self.one("SELECT 1 FROM feedback WHERE ticket_id = ?", (ticket_id,)):
                return False
            self.run("INSERT INTO feedback (ticket_id, rating, at) VALUES (?, ?, ?)", (ticket_id, rating, at))
            return True

    def record_observation(self, obs: QueueObservation) -> None:
        with self.transaction(lock=False):
            self.run(
                "INSERT INTO queue_observation (at, people, longest_wait_s, mean_recent_wait_s, walkaways)"
                " VALUES (?, ?, ?, ?, ?)",
                (obs.at, obs.people, obs.longest_wait_s, obs.mean_recent_wait_s, obs.walkaways),
            )

    # -- reading --------------------------------------------------------------
    def live_rows(self, day: str, through: bool = False) -> list[LiveTicket]:
        """The unfinished tickets of ``day`` (``through``: of it and every day before it)."""
        if not through:
            known = self.known_live(day)
            if known is not None:
                return list(known.values())
        rows = self.all(_LIVE_THROUGH_DAY_SQL if through else _LIVE_OF_DAY_SQL, (day,))
        live = [_live_ticket(r) for r in rows]
        memo = self.private_memo(_LIVE_MEMO)
        if memo is not None and not through:
            memo[day] = {t.ticket.number: t for t in live}
        return live

    def known_live(self, day: str) -> Mapping[str, LiveTicket] | None:
        """The day's unfinished tickets by number, in the order of issue, as a private store last
        read or wrote them; None: not known without reading them (every other store, or not read
        yet). Read it, never change it: :meth:`keep_live` keeps it true."""
        memo = self.private_memo(_LIVE_MEMO)
        return memo.get(day) if memo is not None else None

    def keep_live(self, moved: LiveTicket, was_finished: bool) -> None:
        """Keep a private store's memo of its day's live tickets true after ``moved`` was
        written (issued, or moved into its new period); ``was_finished``: it came back from a
        final state (a recall), so its place in the order of issue must be read again."""
        memo = self.private_memo(_LIVE_MEMO)
        day_live = memo.get(moved.ticket.day) if memo is not None else None
        if memo is None or day_live is None:
            return
        if was_finished:
            del memo[moved.ticket.day]
        elif moved.state.terminal:
            day_live.pop(moved.ticket.number, None)
        else:
            day_live[moved.ticket.number] = moved  # a new ticket comes last, a moved one keeps its place

    def live(self, day: str) -> list[LiveTicket]:
        """The day's unfinished tickets, each with its open period."""
        with self.transaction(lock=False):
            return self.live_rows(day)

    def day_history(self, day: str) -> tuple[list[Ticket], list[Period]]:
        """Every ticket of the day and every period they went through."""
        with self.transaction(lock=False):
            tickets = [
                _ticket(r)
                for r in self.all(f"SELECT {_TICKET_COLS} FROM ticket t WHERE t.day = ? ORDER BY t.id", (day,))
            ]
            periods = [
                _period(r)
                for r in self.all(
                    f"SELECT {_PERIOD_COLS} FROM period p JOIN ticket t ON t.id = p.ticket_id"
                    " WHERE t.day = ? ORDER BY p.ticket_id, p.seq",
                    (day,),
                )
            ]
        return tickets, periods

    def find_ticket(self, day: str, number: str) -> Ticket | None:
        with self.transaction(lock=False):
            row = self.one(f"SELECT {_TICKET_COLS} FROM ticket t WHERE t.day = ? AND t.number = ?", (day, number))
        return _ticket(row) if row else None

    def calls(self, day: str, limit: int) -> list[Call]:
        """The day's latest ``limit`` calls and recalls, newest first (the hall board's list).

        >>> store = open_store("sqlite:///:memory:")
        >>> store.calls("2026-11-24", 5)
        []
        """
        # the day's tickets first, then their periods (SQLite keeps a CROSS JOIN's order): read
        # from the newest call back, the action index walks every earlier day's calls too
        with self.transaction(lock=False):
            rows = self.all(
                "SELECT p.ticket_id, p.seq, t.number, p.counter, p.service, t.language, p.action, p.started_at"
                " FROM ticket t CROSS JOIN period p"
                " WHERE p.ticket_id = t.id AND p.action IN ('call', 'recall') AND t.day = ?"
                " ORDER BY p.started_at DESC, p.ticket_id DESC, p.seq DESC LIMIT ?",
                (day, limit),
            )
        return [Call(r[0], r[1], r[2], r[3], r[4], r[5], Action(r[6]), r[7]) for r in rows]

    def ticket_by_token(self, token: str, day: str) -> LiveTicket | None:
        """The ticket a status page token names, with its latest period, if it was issued on ``day``.

        Looked up by the token alone (an index lookup, the same work for any token), so an
        unknown token and another day's are told apart by nobody.
        """
        with self.transaction(lock=False):
            row = self.one(
                f"SELECT {_LIVE_COLS} FROM status_token s JOIN ticket t ON t.id = s.ticket_id"
                " JOIN period p ON p.ticket_id = t.id WHERE s.token = ? AND t.day = ? ORDER BY p.seq DESC LIMIT 1",
                (token, day),
            )
        return _live_ticket(row) if row else None

    def open_alerts(self) -> list[tuple[str, str, str, float]]:
        """(kind, subject, level, raised_at) of every alert not yet cleared."""
        with self.transaction(lock=False):
            return [
                tuple(r)
                for r in self.all(
                    "SELECT kind, subject, level, raised_at FROM alert_log WHERE cleared_at IS NULL ORDER BY raised_at"
                )
            ]

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._conn.close()


def translate_error(exc: Exception, url: str) -> Exception:
    """A driver error as a StoreError a person can act on (no passwords in it)."""
    if isinstance(exc, StoreError):
        return exc
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    where = _redact(url)
    if isinstance(exc, sqlite3.OperationalError) and "locked" in text:
        return StoreError(f"{where}: the database is locked by another program; try again")
    if isinstance(exc, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text):
        return StoreError(f"{where}: the file is damaged or is not a frontdesk database ({text})")
    if isinstance(exc, sqlite3.IntegrityError) or type(exc).__name__ in ("UniqueViolation", "IntegrityError"):
        return StoreError(f"{where}: refused a write that would break the log's integrity ({text})")
    return StoreError(f"{where}: database error: {text}")


def _redact(url: str) -> str:
    if "://" in url and "@" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}@{host}"
    return url


def store_over(url: str, conn: Any) -> SqlStore:
    """A store over a driver connection the caller opened and may have wrapped (the web
    server's PIN-lock connection, :mod:`kiosk.store.pin_lock`); it never creates or migrates."""
    return SqlStore(url, conn, _Postgres() if url.startswith(("postgresql://", "postgres://")) else _Dialect())


def open_store(url: str, migrate: bool = True, read_only: bool = False, scratch: bool = False) -> SqlStore:
    """Open the store a URL names: ``sqlite:///path``, a plain file path, or ``postgresql://…``.

    ``read_only`` (for readers such as the web server) opens an existing database without
    the right to write: it never creates a file or migrates, and refuses an older schema.
    ``scratch`` (for a replay's throw-away database) gives up SQLite's durability, not its
    transactions: the journal is kept in memory and nothing waits for the disk, so a power
    cut may lose or damage the file. Every statement and lock stays the same; live use
    never passes it. PostgreSQL ignores it. A scratch store in memory also goes without the
    indexes none of its reads need (``SCRATCH_MEMORY_SPARE_INDEXES``).
    """
    if url.startswith(("postgresql://", "postgres://")):
        store = _open_postgres(url, read_only)
    else:
        store = _open_sqlite(url, read_only, scratch)
    if read_only:
        store.check_current()
    elif migrate:
        store.migrate()
        if scratch and store.private:  # in memory: see SCRATCH_MEMORY_SPARE_INDEXES
            with store.transaction(lock=True):
                for index in SCRATCH_MEMORY_SPARE_INDEXES:
                    store.run(f"DROP INDEX {index}")
    return store


def sqlite_path(url: str) -> str:
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///") - 1 :] if not url.startswith("sqlite:///:memory:") else ":memory:"
    if url.startswith("sqlite:"):
        return url[len("sqlite:") :]
    if "://" in url:
        raise StoreError(f"{url}: unsupported database URL (use sqlite:///path or postgresql://…)")
    return url


def _open_sqlite(url: str, read_only: bool = False, scratch: bool = False) -> SqlStore:
    path = sqlite_path(url)
    if path != ":memory:":
        parent = Path(path).expanduser().resolve().parent
        if not parent.is_dir():
            raise StoreError(f"{url}: folder {parent} does not exist")
        path = str(Path(path).expanduser())
    if read_only:
        return _open_sqlite_read_only(url, path)
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=10.0, check_same_thread=False)
        if scratch:  # a replay's throw-away file: rolled back on error, but never waits for the disk
            conn.execute("PRAGMA journal_mode=MEMORY")
            conn.execute("PRAGMA synchronous=OFF")
        else:
            # WAL lets readers (the staff screens) run beside the writer; synchronous=FULL
            # makes a ticket the customer has been shown survive a power cut.
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
    except sqlite3.Error as exc:
        raise translate_error(exc, url) from None
    return SqlStore(url, conn, _Dialect(), private=path == ":memory:", own_connection=True)


def _open_sqlite_read_only(url: str, path: str) -> SqlStore:
    if not Path(path).is_file():
        raise StoreError(f"{url}: no database there yet (the kiosk or a console creates it)")
    try:
        conn = sqlite3.connect(
            f"{Path(path).resolve().as_uri()}?mode=ro",
            uri=True,
            isolation_level=None,
            timeout=10.0,
            check_same_thread=False,
        )
    except sqlite3.Error as exc:
        raise translate_error(exc, url) from None
    return SqlStore(url, conn, _Dialect(), own_connection=True)


def _open_postgres(url: str, read_only: bool = False) -> SqlStore:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a declared dependency
        raise StoreError("PostgreSQL support needs psycopg (pip install 'psycopg[binary]')") from None
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=5)
        if read_only:
            conn.execute("SET default_transaction_read_only = on")
    except psycopg.Error as exc:
        raise StoreError(f"{_redact(url)}: cannot connect: {str(exc).strip().splitlines()[0]}") from None
    return SqlStore(url, conn, _Postgres(), own_connection=True)
