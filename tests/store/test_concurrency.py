"""Two terminals on one database at once, as real parallel processes."""

import multiprocessing as mp
from collections import Counter

from config import load_config
from kiosk.core.model import Action
from kiosk.engine import Engine
from kiosk.store import open_store

ROUNDS = 40


def terminal(db_url: str, counter: int, start, out) -> None:
    engine = Engine(load_config(None), open_store(db_url))
    start.wait()
    issued, called = [], []
    for i in range(ROUNDS):
        issued.append(engine.issue("CASH" if i % 3 else "ACCOUNTS").ticket.number)
        nxt = engine.call_next(counter=counter, staff=f"clerk{counter}")
        if nxt is not None:
            called.append(nxt.ticket.number)
    out.put((issued, called))


def test_parallel_terminals_never_duplicate_a_number_or_a_call(db_url):
    open_store(db_url).close()  # migrate once before the race
    ctx = mp.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=terminal, args=(db_url, counter, start, out)) for counter in (2, 3)]
    for p in procs:
        p.start()
    start.set()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0

    issued = [n for r in results for n in r[0]]
    called = [n for r in results for n in r[1]]
    assert len(issued) == 2 * ROUNDS and len(set(issued)) == len(issued)
    assert len(set(called)) == len(called)  # nobody handed to two counters

    store = open_store(db_url)
    engine = Engine(load_config(None), store)
    day = engine.day_of(engine.clock())
    tickets, periods = store.day_history(day)
    assert sorted(t.number for t in tickets) == sorted(issued)
    calls = Counter(p.ticket_id for p in periods if p.action is Action.CALL)
    assert all(n == 1 for n in calls.values()) and len(calls) == len(called)
    seqs = Counter((t.prefix, t.seq) for t in tickets)
    assert max(seqs.values()) == 1
    assert {t.seq for t in tickets if t.prefix == "A"} == set(range(1, 1 + sum(t.prefix == "A" for t in tickets)))
