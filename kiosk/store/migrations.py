"""The database schema as a forward-only list of versions.

Each version is a list of statements with two placeholders that the dialect
fills: ``{id}`` (an auto-numbered primary key) and ``{real}`` (a double). A
database records its version in ``meta``; opening it applies the versions it
lacks, in order, inside one transaction each. Never edit a released version:
add the next one.
"""

from __future__ import annotations

APP_MARKER = "frontdesk"

MIGRATIONS: list[tuple[int, list[str]]] = [
    (
        1,
        [
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            # one row per ticket as issued; the number is unique within its day
            """CREATE TABLE ticket (
                id {id},
                day TEXT NOT NULL,
                number TEXT NOT NULL,
                prefix TEXT NOT NULL,
                seq INTEGER NOT NULL,
                priority INTEGER NOT NULL,
                issued_at {real} NOT NULL,
                language TEXT,
                UNIQUE (day, number),
                UNIQUE (day, prefix, seq)
            )""",
            # one row per state a ticket was in; the open one has ended_at NULL
            """CREATE TABLE period (
                ticket_id INTEGER NOT NULL REFERENCES ticket (id),
                seq INTEGER NOT NULL,
                state TEXT NOT NULL,
                action TEXT NOT NULL,
                started_at {real} NOT NULL,
                ended_at {real},
                service TEXT NOT NULL,
                counter INTEGER,
                staff TEXT,
                PRIMARY KEY (ticket_id, seq)
            )""",
            "CREATE INDEX period_open ON period (ticket_id) WHERE ended_at IS NULL",
            "CREATE INDEX ticket_day ON ticket (day)",
        ],
    ),
    (
        2,
        [
            """CREATE TABLE alert_log (
                id {id},
                kind TEXT NOT NULL,
                subject TEXT NOT NULL,
                level TEXT NOT NULL,
                value {real} NOT NULL,
                limit_value {real} NOT NULL,
                raised_at {real} NOT NULL,
                cleared_at {real}
            )""",
            "CREATE INDEX alert_open ON alert_log (kind, subject) WHERE cleared_at IS NULL",
            """CREATE TABLE feedback (
                ticket_id INTEGER PRIMARY KEY REFERENCES ticket (id),
                rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
                at {real} NOT NULL
            )""",
            # what the camera saw: counts and anonymous durations only
            """CREATE TABLE queue_observation (
                at {real} NOT NULL,
                people INTEGER NOT NULL,
                longest_wait_s {real},
                mean_recent_wait_s {real},
                walkaways INTEGER NOT NULL
            )""",
            "CREATE INDEX queue_observation_at ON queue_observation (at)",
            "CREATE INDEX period_started ON period (started_at)",
        ],
    ),
    (
        3,
        [
            # tickets brought in by `frontdesk log import`: the source's own ticket id and
            # arrival, so that importing the same file twice adds nothing
            """CREATE TABLE import_key (
                source_ticket TEXT NOT NULL,
                arrived_local TEXT NOT NULL,
                ticket_id INTEGER NOT NULL UNIQUE REFERENCES ticket (id),
                PRIMARY KEY (source_ticket, arrived_local)
            )""",
            # reports filter on the ticket's day and read its last period
            "CREATE INDEX ticket_day_issued ON ticket (day, issued_at)",
            # the wait estimate reads the latest service times of a service and the latest calls
            "CREATE INDEX period_service_ended ON period (service, state, ended_at)",
            "CREATE INDEX period_state_started ON period (state, started_at)",
            # the wait estimate printed at check-in, with the situation it was made in, so
            # that the estimator learns from its own record and the report can score it
            """CREATE TABLE wait_estimate (
                ticket_id INTEGER PRIMARY KEY REFERENCES ticket (id),
                ahead INTEGER NOT NULL,
                free INTEGER,
                priority INTEGER NOT NULL,
                point_s {real} NOT NULL,
                low_s {real} NOT NULL,
                high_s {real} NOT NULL,
                classic_s {real} NOT NULL,
                classic_low_s {real} NOT NULL,
                classic_high_s {real} NOT NULL
            )""",
        ],
    ),
    (
        4,
        [
            # staff and manager PINs for the console: a salted KDF hash, never the PIN,
            # and the count of wrong tries that locks the name for a while
            """CREATE TABLE staff_pin (
                role TEXT NOT NULL,
                name TEXT NOT NULL,
                kdf TEXT NOT NULL,
                salt TEXT NOT NULL,
                pin_hash TEXT NOT NULL,
                failures INTEGER NOT NULL DEFAULT 0,
                locked_until {real},
                set_at {real} NOT NULL,
                PRIMARY KEY (role, name)
            )""",
        ],
    ),
    (
        5,
        [
            # the address of a ticket's "your place in line" page on the customer's phone:
            # random (not derived from the number), written when the ticket is issued; the
            # page only answers while the ticket's day is today
            """CREATE TABLE status_token (
                token TEXT PRIMARY KEY,
                ticket_id INTEGER NOT NULL UNIQUE REFERENCES ticket (id)
            )""",
            # the hall board reads the day's calls newest first
            "CREATE INDEX period_action_started ON period (action, started_at)",
        ],
    ),
    (
        6,
        [
            # issue 14 (staff): a counter's clerk's states, one row per state as tickets' periods
            # (signed in, serving, on break with its reason, back office, signed out); the open
            # one has ended_at NULL, and a counter has at most one open
            """CREATE TABLE staff_period (
                id {id},
                counter INTEGER NOT NULL,
                staff TEXT NOT NULL,
                state TEXT NOT NULL,
                reason TEXT,
                started_at {real} NOT NULL,
                ended_at {real}
            )""",
            "CREATE UNIQUE INDEX staff_period_open ON staff_period (counter) WHERE ended_at IS NULL",
            "CREATE INDEX staff_period_started ON staff_period (started_at)",
        ],
    ),
    (
        7,
        [
            # issue 14 (alerts): an alert acknowledged once for the whole branch, by a counter,
            # so that every console and the alert light see it whichever console drove the light
            "ALTER TABLE alert_log ADD COLUMN acknowledged_at {real}",
            "ALTER TABLE alert_log ADD COLUMN acknowledged_counter INTEGER",
            # a ticket printed again (paper jam, lost ticket): asked for at the kiosk (counter
            # NULL) or at a counter; the kiosk that holds the printer claims it by printed_at
            """CREATE TABLE reprint (
                id {id},
                ticket_id INTEGER NOT NULL REFERENCES ticket (id),
                requested_at {real} NOT NULL,
                counter INTEGER,
                printed_at {real}
            )""",
            "CREATE INDEX reprint_pending ON reprint (requested_at) WHERE printed_at IS NULL",
        ],
    ),
    (
        8,
        [
            # issue 12 (replay speed): the wait estimate's two reads at every check-in answered
            # from the index alone, without a table lookup per period: the counters that called
            # or served lately (counter), and the latest service times (started_at). Each
            # replaces the index it extends, which served the same queries less well.
            "DROP INDEX period_state_started",
            "CREATE INDEX period_state_started_counter ON period (state, started_at, counter)",
            "DROP INDEX period_service_ended",
            "CREATE INDEX period_service_ended_started ON period (service, state, ended_at, started_at)",
        ],
    ),
    (
        9,
        [
            # issue 12 (replay speed): indexes that no read needs but every write keeps up to date
            # (a replay writes 60,000 periods and 16,000 tickets). Every read that filters or
            # orders periods by their start names their state or action first, served by
            # (state, started_at, counter) or (action, started_at); every read of a day's
            # tickets has (day, number), (day, prefix, seq) or (day, issued_at) to start from.
            "DROP INDEX period_started",
            "DROP INDEX ticket_day",
        ],
    ),
]

LATEST_VERSION = MIGRATIONS[-1][0]

# Indexes a replay's scratch store drops once it is made (issue 12: 0.8 s of a 5.5 s replay of the
# real two weeks, which writes 60,000 periods and closes 44,000). That store is in memory, private
# to one connection and gone when it closes, and no read it runs needs them: it keeps each
# service's ended services in a memo (``period_service_ended_started`` serves that read on every
# other store), a replay never runs the reports that read periods by action
# (``period_action_started``), and it keeps when each counter last called and the first calls the
# wait estimate learns from (``period_state_started_counter`` serves those reads elsewhere; there
# they scan the periods, and run only on the empty store, after a call that follows a transfer or
# once the memos are forgotten: a replay never transfers or imports, and ends at a rollback).
# A database on disk keeps every index, even a replay's ``--db``.
SCRATCH_MEMORY_SPARE_INDEXES = ("period_service_ended_started", "period_action_started", "period_state_started_counter")
