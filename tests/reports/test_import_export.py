"""Import and export of the CSV log on a real store (SQLite, and PostgreSQL when available)."""

import io

import pytest

from kiosk.core.model import Action
from kiosk.errors import UsageError
from kiosk.reports import export_csv, import_csv
from kiosk.reports.logformat import HEADER

HEAD = ",".join(HEADER)
LOG = (
    "\n".join(
        [
            HEAD,
            "990201-AA0101-1,PS,normal,1999-02-01T08:00:00,1999-02-01T08:00:20,1999-02-01T08:00:20,1999-02-01T08:03:00,,served,DORIT",
            "990201-AA0101-2,NW,priority,1999-02-01T08:01:00,,,,1999-02-01T08:02:30,abandoned,",
            "990201-AA0101-3,CASH,normal,1999-02-01T08:02:00,1999-02-01T08:05:00,,,,no_show,TOVA",
            "990202-AA0101-1,PS,normal,1999-02-02T09:00:00,1999-02-02T09:00:00,1999-02-02T09:00:05,1999-02-02T09:10:00,,served,",
        ]
    )
    + "\n"
)


def count(store, table):
    with store.transaction(lock=False):
        return store.one(f"SELECT COUNT(*) FROM {table}")[0]


def exported(store, cfg, date_from=None, date_to=None) -> str:
    out = io.StringIO()
    export_csv(store, cfg, out, date_from, date_to)
    return out.getvalue()


def test_round_trip_import_then_export_gives_the_same_log(store, cfg):
    result = import_csv(store, cfg, io.StringIO(LOG))
    assert (result.added, result.already_there, result.skipped) == (4, 0, [])
    assert exported(store, cfg) == LOG


def test_importing_twice_adds_nothing(store, cfg):
    import_csv(store, cfg, io.StringIO(LOG))
    before = (count(store, "ticket"), count(store, "period"))
    again = import_csv(store, cfg, io.StringIO(LOG))
    assert (again.added, again.already_there) == (0, 4)
    assert (count(store, "ticket"), count(store, "period")) == before


def test_imported_tickets_are_numbered_per_service_and_day(store, cfg):
    import_csv(store, cfg, io.StringIO(LOG))
    with store.transaction(lock=False):
        numbers = store.all("SELECT day, number FROM ticket ORDER BY id")
    # CASH is the branch's service with prefix A; PS and NW are new: their code numbers them
    assert [tuple(r) for r in numbers] == [
        ("1999-02-01", "PS001"),
        ("1999-02-01", "NW001"),
        ("1999-02-01", "A001"),
        ("1999-02-02", "PS001"),
    ]


def test_a_file_with_bad_rows_is_refused_whole_with_every_line_named(store, cfg):
    bad = (
        LOG + "X1,PS,normal,1999-02-03T08:00:00,1999-02-03T07:59:00,1999-02-03T08:00:00,1999-02-03T08:01:00,,served,\n"
    )
    bad += "X2,PS,normal,1999-02-03T08:00:00,,,,,served,\n"
    with pytest.raises(UsageError) as err:
        import_csv(store, cfg, io.StringIO(bad), name="bad.csv")
    message = str(err.value)
    assert message.startswith("bad.csv: 2 bad rows, nothing imported")
    assert "line 6: called_at 1999-02-03T07:59:00 is before arrived_at 1999-02-03T08:00:00" in message
    assert "line 7: a served row needs called_at, service_started_at and service_ended_at" in message
    assert count(store, "ticket") == 0 and count(store, "period") == 0


def test_skip_bad_imports_the_good_rows_and_lists_exactly_the_skipped(store, cfg):
    bad = LOG + "X2,PS,normal,1999-02-03T08:00:00,,,,,done,\n" + LOG.splitlines()[1] + "\n"
    result = import_csv(store, cfg, io.StringIO(bad), skip_bad=True)
    assert result.added == 4
    assert result.skipped == [
        (6, "unknown outcome 'done' (served, abandoned, no_show or closed_at_end_of_day)"),
        (7, "ticket 990201-AA0101-1 arriving 1999-02-01T08:00:00 is already on line 2"),
    ]


def test_an_import_that_fails_in_the_database_leaves_nothing_behind(store, cfg):
    import_csv(store, cfg, io.StringIO(LOG))
    with store.transaction(lock=True):  # a ticket number the import will want, taken behind its back
        store.run("DELETE FROM import_key WHERE source_ticket = '990202-AA0101-1'")
        store.run("UPDATE ticket SET number = 'PS002', seq = 2 WHERE day = '1999-02-02'")
    more = (
        LOG.replace("990202-AA0101-1", "990202-AA0101-9")
        + "990202-AA0101-8,PS,normal,1999-02-02T09:30:00,,,,1999-02-02T09:31:00,abandoned,\n"
    )
    tickets = count(store, "ticket")
    # the day's MAX(seq) is 2, so numbering goes on at 3: this import succeeds...
    assert import_csv(store, cfg, io.StringIO(more)).added == 2
    # ...while a clash inside the transaction rolls back every row of the file
    with store.transaction(lock=True):
        store.run("UPDATE ticket SET number = 'PS005' WHERE day = '1999-02-02' AND number = 'PS002'")
    clash = (
        "\n".join(
            [
                HEAD,
                "N1,PS,normal,1999-02-02T10:00:00,,,,1999-02-02T10:01:00,abandoned,",
                "N2,PS,normal,1999-02-02T10:02:00,,,,1999-02-02T10:03:00,abandoned,",
            ]
        )
        + "\n"
    )
    before = (count(store, "ticket"), count(store, "period"), count(store, "import_key"))
    with pytest.raises(Exception, match="integrity"):
        import_csv(store, cfg, io.StringIO(clash))
    assert (count(store, "ticket"), count(store, "period"), count(store, "import_key")) == before
    assert tickets + 2 == before[0]


def test_the_engines_own_visits_export_and_come_back_unchanged(engine, clock, store, cfg, tmp_path):
    a = engine.issue("CASH")
    b = engine.issue("LOANS", priority=True)
    c = engine.issue("CASH")
    clock.advance(95)
    engine.call(a.ticket.number, counter=1, staff="Bold")
    clock.advance(5)
    engine.act(a.ticket.number, Action.START)
    clock.advance(200)
    engine.act(a.ticket.number, Action.FINISH)
    engine.act(b.ticket.number, Action.WALK_AWAY)
    engine.call(c.ticket.number, counter=2, staff="Saraa")
    clock.advance(60)
    engine.act(c.ticket.number, Action.NO_SHOW)
    engine.issue("CASH")  # still waiting: not in the export
    text = exported(store, cfg)
    lines = text.splitlines()
    assert lines[0] == HEAD and len(lines) == 4
    assert lines[1].startswith("A001,CASH,normal,") and lines[1].endswith(",,served,Bold")
    assert ",priority," in lines[2] and lines[2].endswith(",abandoned,")
    assert lines[3].endswith(",no_show,Saraa")
    # importing its own export into the same store adds nothing
    assert import_csv(store, cfg, io.StringIO(text)).added == 0
    # into a fresh store, and out again: the same file
    from kiosk.store import open_store

    other = open_store(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    assert import_csv(other, cfg, io.StringIO(text)).added == 3
    assert exported(other, cfg) == text


def test_export_filters_by_branch_local_day(store, cfg):
    import_csv(store, cfg, io.StringIO(LOG))
    from datetime import date

    assert exported(store, cfg, date(1999, 2, 2), None).count("\n") == 2
    assert exported(store, cfg, None, date(1999, 2, 1)).count("\n") == 4
