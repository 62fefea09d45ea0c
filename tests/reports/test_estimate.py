"""The learned wait estimate: what it learns, what it falls back on, how its range calibrates itself."""

import random

from kiosk.core.estimate import (
    EstimateInput,
    Situation,
    WaitHistory,
    bucket_of_ahead,
    classic_wait,
    estimate_wait,
    shortest_interval,
)

FREE = dict(servers=3, recent_service_s=[100.0] * 10)


def test_without_history_the_classic_estimate_is_printed():
    inp = EstimateInput(ahead=3, **FREE)
    assert estimate_wait(inp) == classic_wait(inp)
    assert WaitHistory().estimate(inp) == classic_wait(inp)  # nothing learned for this situation yet
    assert classic_wait(inp).point_s == 100.0  # 3 ahead x 100 s / 3 counters


def test_the_point_is_the_median_wait_per_place_of_the_same_situation():
    h = WaitHistory(min_observations=5)
    for wait in (30, 40, 50, 60, 200):  # two people ahead: three places to move
        h.observe(Situation(ahead=2, free=0, priority=False), float(wait), 0.0, 0.0)
    e = h.estimate(EstimateInput(ahead=2, free=0, **FREE))
    assert e.point_s == 50.0
    assert e.low_s <= e.point_s <= e.high_s

    # queue lengths of one bucket share their waits per place: 4 ahead is 5 places, 5 ahead 6
    assert bucket_of_ahead(4) == bucket_of_ahead(5) != bucket_of_ahead(2)
    for wait in (50, 100, 150, 100, 100):  # 10, 20, 30, 20, 20 s per place
        h.observe(Situation(ahead=4, free=0, priority=False), float(wait), 0.0, 0.0)
    assert h.estimate(EstimateInput(ahead=5, free=0, **FREE)).point_s == 120.0


def test_a_thin_situation_falls_back_to_a_broader_one():
    h = WaitHistory(min_observations=3)
    for wait in (10.0, 20.0, 30.0):
        h.observe(Situation(ahead=0, free=2, priority=True), wait, 0.0, 0.0)
    # never seen with 1 free counter, but priority customers with nobody ahead were: their waits
    e = h.estimate(EstimateInput(ahead=0, free=1, priority=True, **FREE))
    assert e.point_s == 20.0
    # a regular customer falls back to everyone with nobody ahead (the same three waits)
    assert h.estimate(EstimateInput(ahead=0, free=1, priority=False, **FREE)).point_s == 20.0


def test_the_range_share_widens_after_misses_and_narrows_after_hits():
    h = WaitHistory(target_share=0.85, step=0.01)
    start = h.share
    for _ in range(10):
        h.observe(Situation(0, 1, False), 50.0, low_s=0.0, high_s=10.0)  # missed
    assert h.share > start
    widened = h.share
    for _ in range(10):
        h.observe(Situation(0, 1, False), 5.0, low_s=0.0, high_s=10.0)  # held
    assert h.share < widened


def test_calibration_reaches_the_target_share_on_a_skewed_stream():
    rng = random.Random(7)
    h = WaitHistory(min_observations=20, target_share=0.85)
    inside = total = 0
    for i in range(6000):
        wait = rng.expovariate(1 / 40.0) if rng.random() < 0.7 else 0.0  # many zero waits, a long tail
        e = h.estimate(EstimateInput(ahead=1, free=0, **FREE))
        h.observe(Situation(1, 0, False), wait, e.low_s, e.high_s)
        if i >= 1000:
            total += 1
            inside += e.low_s <= wait <= e.high_s
    assert 0.82 <= inside / total <= 0.88


def test_shortest_interval_prefers_the_dense_end():
    assert shortest_interval([0.0] * 6 + [5.0, 9.0, 300.0, 900.0], 0.8) == (0.0, 9.0)
