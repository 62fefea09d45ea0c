"""Random days of operations keep the log's invariants (hypothesis)."""

import tempfile
import uuid
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config import load_config
from kiosk.core.lifecycle import next_state
from kiosk.core.model import Action, LiveTicket, State
from kiosk.engine import Engine
from kiosk.errors import FrontdeskError, LifecycleError
from kiosk.store import open_store
from tests.conftest import PG_URL, Clock, pg_schema_url

CFG = load_config(None)
SERVICES = [s.code for s in CFG.services]
TICKET_ACTIONS = [a for a in Action if a not in (Action.ISSUE, Action.CALL)]

op = st.one_of(
    st.tuples(st.just("issue"), st.sampled_from(SERVICES), st.booleans()),
    st.tuples(st.just("next"), st.sampled_from([1, 2, 3, 4]), st.just(None)),
    st.tuples(st.just("act"), st.integers(0, 30), st.sampled_from(TICKET_ACTIONS)),
    st.tuples(st.just("wait"), st.integers(1, 900), st.just(None)),
)


def run_day(url: str, ops) -> None:  # noqa: C901 (to be split)
    clock = Clock()
    engine = Engine(CFG, open_store(url), clock=clock)
    expected: dict[str, State] = {}
    numbers: list[str] = []
    for kind, a, b in ops:
        if kind == "issue":
            t = engine.issue(a, priority=b).ticket
            numbers.append(t.number)
            expected[t.number] = State.WAITING
        elif kind == "next":
            called = engine.call_next(counter=a)
            if called is not None:
                assert expected[called.ticket.number] is State.WAITING
                expected[called.ticket.number] = State.CALLED
        elif kind == "act" and numbers:
            number = numbers[a % len(numbers)]
            service = "LOANS" if b is Action.TRANSFER else None
            try:
                want = next_state(expected[number], b)
            except LifecycleError:
                want = None
            try:
                got = engine.act(number, b, service=service).state
            except FrontdeskError:
                got = None
            assert got == want, f"{number} {expected[number]} --{b.value}--> {got}, lifecycle says {want}"
            if got is not None:
                expected[number] = got
        elif kind == "wait":
            clock.advance(a)

    day = engine.day_of(clock())
    tickets, periods = engine.store.day_history(day)
    assert len({t.number for t in tickets}) == len(tickets) == len(numbers)
    by_ticket: dict[int, list] = {}
    for p in periods:
        by_ticket.setdefault(p.ticket_id, []).append(p)
    for t in tickets:
        ps = by_ticket[t.id]
        assert [p.seq for p in ps] == list(range(len(ps)))
        open_ = [p for p in ps if p.ended_at is None]
        assert len(open_) == (0 if ps[-1].state.terminal else 1)  # exactly one state at a time
        for prev, cur in zip(ps, ps[1:]):
            assert prev.ended_at == cur.started_at  # periods tile time
        assert all(p.ended_at is None or p.started_at <= p.ended_at for p in ps)
        assert ps[-1].state is expected[t.number]
    # the live queue the store reads (from its open periods) is the fold of the whole history
    last = {t.id: by_ticket[t.id][-1] for t in tickets}
    folded = [LiveTicket(t, last[t.id]) for t in tickets if not last[t.id].state.terminal]
    assert folded == engine.store.live(day)
    assert Counter(p.state for p in periods if p.ended_at is None) == Counter(
        s for s in expected.values() if not s.terminal
    )
    engine.store.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(op, min_size=1, max_size=60))
def test_random_days_on_sqlite(ops):
    with tempfile.TemporaryDirectory() as tmp:
        run_day(str(Path(tmp) / "prop.sqlite3"), ops)


@pytest.mark.slow
@pytest.mark.skipif(not PG_URL, reason="PostgreSQL not available: set FRONTDESK_TEST_PG_URL")
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(op, min_size=1, max_size=40))
def test_random_days_on_postgres(ops):
    import psycopg

    schema = f"p_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        run_day(pg_schema_url(schema), ops)
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")
