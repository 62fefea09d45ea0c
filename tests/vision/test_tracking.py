"""The smoothing rules on detections fed by hand: holds, grace, rejoining, zone, walk-aways."""

import pytest

from vision.people import Person
from vision.tracking import QueueTracker, Smoothing
from vision.zone import Zone

HZ = 5.0
STEP = 1.0 / HZ
SMOOTH = Smoothing(enter_hold_s=0.2, exit_hold_s=1.0, grace_s=3.0)


def person(x, y=400.0, score=0.45):
    """A sure detection (>= sure_score 0.35), but not sure enough to count at first sighting (0.5)."""
    return Person(x=x, y=y, radius=40.0, score=score)


def feed(tracker, t0, t1, people_at):
    """Update every STEP from t0 (inclusive) to t1 (exclusive); returns the last update."""
    t, update, counts = t0, None, []
    while t < t1 - 1e-9:
        update = tracker.update(round(t, 3), people_at(t))
        counts.append(update.count)
        t += STEP
    return update, counts


def new_tracker(zone=Zone(), desk=None, started=True):
    """A tracker past its first look (an empty one), unless ``started`` is False."""
    tracker = QueueTracker(zone, (640, 480), desk, SMOOTH, detections_per_s=HZ)
    if started:
        tracker.update(-STEP, [])
    return tracker


def test_one_stray_detection_is_never_counted():
    tracker = new_tracker()
    assert tracker.update(0.0, [person(100)]).count == 0
    _, counts = feed(tracker, STEP, 3.0, lambda t: [])
    assert max(counts) == 0
    assert tracker.finish() == ([], [])


def test_a_very_sure_person_apart_counts_at_first_sighting_on_trial():
    """Scored >= at_once_score and overlapping nobody: counted from the first look that
    sees them, their visit starting there; not seen at the next look: withdrawn, no visit."""
    tracker = new_tracker()
    assert tracker.update(0.0, [person(100, score=0.8)]).count == 1
    _, counts = feed(tracker, STEP, 2.0, lambda t: [person(100, score=0.8)])
    assert set(counts) == {1}
    stray = new_tracker()
    assert stray.update(0.0, [person(100, score=0.8)]).count == 1
    update = stray.update(STEP, [])
    assert update.count == 0 and update.closed == []
    _, counts = feed(stray, 2 * STEP, 6.0, lambda t: [])
    assert max(counts) == 0
    assert stray.finish() == ([], [])
    (visit,) = tracker.finish()[1]
    assert visit.enter_s == 0.0


def test_a_very_sure_box_in_a_group_waits_for_the_second_look():
    """Overlapping another sure box, it may be a part of that person: the usual enter hold."""
    tracker = new_tracker()
    pair = [person(300, score=0.8), Person(x=310.0, y=400.0, radius=40.0, score=0.8)]
    assert tracker.update(0.0, pair).count == 0
    assert tracker.update(STEP, pair).count == 2


def test_at_the_start_sure_people_count_at_once_and_weak_ones_never():
    tracker = new_tracker(started=False)
    weak = Person(x=500.0, y=400.0, radius=40.0, score=0.25)  # under sure_score: it may only follow someone
    assert tracker.update(0.0, [person(100), person(300), weak]).count == 2
    _, counts = feed(tracker, STEP, 3.0, lambda t: [person(100), person(300), weak])
    assert set(counts) == {2}
    closed, still = tracker.finish()
    assert closed == [] and [v.enter_s for v in still] == [0.0, 0.0]


def test_weak_detections_keep_a_still_person_counted_for_minutes():
    """Someone standing with their back to the camera: sure at first, then only weakly
    detected (0.25) for three minutes. They stay counted, in one visit."""
    tracker = new_tracker()
    feed(tracker, 0.0, 1.0, lambda t: [person(300)])
    turned = Person(x=302.0, y=401.0, radius=41.0, score=0.25)
    update, counts = feed(tracker, 1.0, 180.0, lambda t: [turned])
    assert set(counts) == {1}
    closed, still = tracker.finish()
    assert closed == [] and len(still) == 1 and still[0].enter_s == 0.0


def test_someone_who_walks_in_briskly_and_stops_stays_followed_by_weak_detections():
    """Walking in at one body radius a look, then standing still, only weakly detected (back to
    the camera): the filter stops expecting them further on, so the weak boxes keep following
    them, one visit. (Norfair's default filter, set for a detector on every frame, lost them.)"""
    tracker = new_tracker()
    for k in range(60):
        walking = k < 8
        seen = person(100 + 40 * k, score=0.6) if walking else Person(x=382.0, y=401.0, radius=41.0, score=0.25)
        count = tracker.update(round(k * STEP, 3), [seen]).count
        assert k < 2 or count == 1
    closed, still = tracker.finish()
    assert closed == [] and len(still) == 1


def test_a_tiny_box_that_never_moves_adds_nobody_while_the_smallest_real_person_counts():
    """PETS has a static sure box 14 px high in a 360-row frame (the old tracker made it one 79 s
    visit); its smallest true person is 37 px high, NanoDet's smallest box on a true person 27 px.
    Under 0.06 of the frame's height (22 px) a box is nobody in a queue zone."""
    tracker = QueueTracker(Zone(), (480, 360), None, SMOOTH, detections_per_s=HZ)
    tracker.update(-STEP, [])
    speck = Person(x=107.0, y=137.0, radius=7.0, score=0.8)
    far_walker = lambda t: Person(x=300.0 + 2 * t, y=200.0, radius=18.5, score=0.45)  # noqa: E731  (37 px)
    _, counts = feed(tracker, 0.0, 60.0, lambda t: [speck, far_walker(t)])
    assert counts[-1] == 1 and max(counts) == 1
    closed, still = tracker.finish()
    assert closed == [] and len(still) == 1 and still[0].enter_s == 0.0


def test_a_weak_box_on_a_sure_person_or_away_from_everyone_adds_nobody():
    tracker = new_tracker()
    feed(tracker, 0.0, 1.0, lambda t: [person(300)])
    part = Person(x=300.0, y=360.0, radius=20.0, score=0.3)  # the upper body of the same person
    elsewhere = Person(x=550.0, y=300.0, radius=40.0, score=0.3)  # a poster, never sure
    _, counts = feed(tracker, 1.0, 5.0, lambda t: [person(300), part, elsewhere])
    assert set(counts) == {1}


def test_two_weak_boxes_on_one_counted_person_add_nobody():
    """Someone counted, then seen only weakly and by two weak boxes side by side at their size
    (PETS: a sign at the right edge, 0.21-0.36). Both may continue that person, but only one
    track can take them; the other box makes a track of weak boxes only, which never counts
    (before, its second look counted it: a one-look visit at the end of PETS)."""
    tracker = new_tracker()
    feed(tracker, 0.0, 1.0, lambda t: [person(300)])
    twins = [Person(x=300.0, y=400.0, radius=40.0, score=0.3), Person(x=318.0, y=400.0, radius=40.0, score=0.25)]
    _, counts = feed(tracker, 1.0, 6.0, lambda t: twins)
    assert set(counts) == {1}
    closed, still = tracker.finish()
    assert closed == [] and len(still) == 1


def test_someone_walking_out_at_a_side_leaves_the_count_at_once():
    """Walking to the right edge and out of view: counted until the next look, not for the
    whole exit hold; someone lost in the middle of the frame is held (hidden, not gone)."""
    tracker = new_tracker()
    walk = lambda t: [person(400 + 200 * t)] if 400 + 200 * t < 640 else []  # noqa: E731
    update, counts = feed(tracker, 0.0, 1.2, walk)  # last seen at x = 600, walking 200 px/s
    assert counts[-1] == 1
    # 1.2 s + 0.2 s: expected past the edge (600 + 200 * 0.4 > 640): gone within the edge hold
    assert tracker.update(1.4, []).count == 0
    held = new_tracker()
    feed(held, 0.0, 1.0, lambda t: [person(300)])
    assert held.update(1.4, []).count == 1  # standing in the middle, unseen for 0.4 s: still counted


def test_someone_walking_in_at_a_side_stays_counted_between_looks():
    """First seen touching the left edge and counted at once: they are walking in, so the
    edge's short hold does not apply; it drops them only once seen at the edge again."""
    tracker = new_tracker()
    assert tracker.update(0.0, [person(15, score=0.8)]).count == 1
    assert tracker.count_at(0.35) == 1  # the edge hold (0.2 s) would have dropped them here
    assert tracker.update(0.4, [person(60, score=0.8)]).count == 1
    leaving = new_tracker()
    feed(leaving, 0.0, 1.0, lambda t: [person(60 - 40 * t, score=0.8)])  # last seen at x = 28, at the edge
    assert leaving.count_at(0.95) == 1  # within the edge hold
    assert leaving.count_at(1.25) == 0  # at most one look period (0.4 s) after the last sighting


def test_someone_walking_out_at_a_side_stays_counted_while_a_part_of_them_is_in_view():
    """Last seen with their box cut by the right edge, walking out at 100 px/s: the hand counts
    (and the detector's partial boxes) keep them until the box's inner side passes the edge, 0.36 s
    later, not only the edge's short hold (0.2 s); then they leave the count."""
    tracker = new_tracker()
    walk = lambda t: [person(520 + 100 * t, score=0.8)]  # noqa: E731  (box 16 px either side)
    feed(tracker, 0.0, 1.2, walk)  # last seen at t = 1.0, x = 620: box 604..636, touching the edge
    assert tracker.count_at(1.3) == 1  # the edge hold alone would have dropped them at 1.2
    assert tracker.count_at(1.38) == 0  # the inner side (604 + 100 * 0.38) has passed 640


def test_two_people_walking_one_behind_the_other_keep_their_own_tracks():
    """At the look rate a walker moves 0.9 body radii a look. Someone walking 1.6 radii behind
    another, seen from the other's third look on, comes nearer to where the first one *was* than
    the first one is now; matched by position alone (norfair's default filter, which takes
    everyone for standing still) they swap over and over, new tracks are held beside old ones:
    4-5 counted, 7 visits. The filter takes each one's pace from their sightings: two, two."""
    tracker = new_tracker()
    step = 36.0  # pixels per look, radius 40
    ahead = lambda k: person(50 + step * k, score=0.8)  # noqa: E731
    counts = []
    for k in range(14):
        people = [ahead(k)] + ([person(50 + step * k - 64, score=0.8)] if k >= 2 else [])
        counts.append(tracker.update(round(k * STEP, 3), people).count)
    assert max(counts) == 2 and counts[-1] == 2
    closed, still = tracker.finish()
    assert closed == [] and len(still) == 2


def test_a_sure_part_body_box_adds_nobody_but_someone_behind_counts():
    """In a group the detector may give a sure box for the upper body inside the whole body
    (same top): one person. Someone further back inside a near person's box has their head
    lower down: two people."""
    tracker = new_tracker()
    upper_body = Person(x=300.0, y=370.0, radius=25.0, score=0.45)  # box 320..370, top as person(300)'s
    _, counts = feed(tracker, 0.0, 3.0, lambda t: [person(300), upper_body])
    assert set(counts[2:]) == {1}
    near = Person(x=300.0, y=470.0, radius=200.0, score=0.8, width=300.0)  # box 150..450 x 70..470
    behind = Person(x=320.0, y=300.0, radius=60.0, score=0.6)  # inside it, head 110 px lower
    both = new_tracker()
    _, counts = feed(both, 0.0, 3.0, lambda t: [near, behind])
    assert counts[-1] == 2


def test_a_person_counted_at_the_start_but_not_seen_again_is_withdrawn():
    tracker = new_tracker(started=False)
    assert tracker.update(0.0, [person(100), person(400)]).count == 2
    update = tracker.update(STEP, [person(400)])
    assert update.count == 1 and update.closed == []
    _, counts = feed(tracker, 2 * STEP, 6.0, lambda t: [person(400)])
    assert set(counts) == {1}
    closed, still = tracker.finish()
    assert closed == [] and len(still) == 1  # the false one left no visit


def test_count_rises_after_the_enter_hold_and_survives_a_short_gap():
    tracker = new_tracker()
    _, counts = feed(tracker, 0.0, 2.0, lambda t: [person(100 + 10 * t), person(400)])
    assert counts[0] == 0 and counts[-1] == 2
    # the first person is hidden for 0.6 s (less than the exit hold): still counted
    _, gap = feed(tracker, 2.0, 2.6, lambda t: [person(400)])
    assert min(gap) == 2
    _, back = feed(tracker, 2.6, 3.4, lambda t: [person(100 + 10 * t), person(400)])
    assert back[-1] == 2
    closed, still = tracker.finish()
    assert closed == [] and len(still) == 2  # one continuous visit each


def test_leaving_drops_the_count_after_the_exit_hold_and_closes_after_grace():
    tracker = new_tracker()
    feed(tracker, 0.0, 2.0, lambda t: [person(300)])
    update, counts = feed(tracker, 2.0, 2.8, lambda t: [])
    assert counts[-1] == 1  # within the exit hold
    update, counts = feed(tracker, 2.8, 4.0, lambda t: [])
    assert counts[-1] == 0
    closed = []
    t = 4.0
    while t < 6.0:
        closed += tracker.update(t, []).closed
        t += STEP
    assert len(closed) == 1
    visit = closed[0]
    assert visit.enter_s == 0.0 and abs(visit.exit_s - 1.8) < 1e-6
    assert abs(visit.duration_s - 1.8) < 1e-6


def test_a_person_back_within_grace_continues_the_same_visit():
    tracker = new_tracker()
    feed(tracker, 0.0, 2.0, lambda t: [person(300)])
    feed(tracker, 2.0, 4.0, lambda t: [])  # lost for 2 s: track gone, visit pending
    update, _ = feed(tracker, 4.0, 5.0, lambda t: [person(320)])
    assert update.count == 1
    closed, still = tracker.finish()
    assert closed == [] and len(still) == 1
    assert still[0].enter_s == 0.0 and still[0].exit_s >= 4.8


def test_someone_coming_in_where_another_walked_out_is_a_new_visit():
    """PETS: walkers leave at the right edge and the next comes in there within the grace period;
    each was rejoined to the visit of the one who had left (one visit 41 s too long). Someone whose
    box walked out of view is gone: the next one there is a new visit. Someone standing at the edge
    and missed for a while is still the same visit."""
    tracker = new_tracker()
    feed(tracker, 0.0, 1.2, lambda t: [person(400 + 200 * t)])  # walks out at the right: last seen at x = 600
    feed(tracker, 1.2, 2.4, lambda t: [])
    update, _ = feed(tracker, 2.4, 4.0, lambda t: [person(620 - 100 * (t - 2.4))])  # another walks in there
    assert update.count == 1
    closed, still = tracker.finish()
    assert len(closed) == 1 and closed[0].exit_s < 1.2
    assert len(still) == 1 and still[0].enter_s >= 2.4
    standing = new_tracker()
    feed(standing, 0.0, 2.0, lambda t: [person(620)])  # at the right edge, not moving out
    feed(standing, 2.0, 4.0, lambda t: [])
    feed(standing, 4.0, 5.0, lambda t: [person(620)])
    closed, still = standing.finish()
    assert closed == [] and len(still) == 1 and still[0].enter_s == 0.0


def test_a_person_back_after_grace_is_a_new_visit():
    tracker = new_tracker()
    feed(tracker, 0.0, 2.0, lambda t: [person(300)])
    update, _ = feed(tracker, 2.0, 6.0, lambda t: [])
    feed(tracker, 6.0, 7.0, lambda t: [person(300)])
    closed, still = tracker.finish()
    assert [v.id for v in tracker.ledger.recent][0] == 1
    assert len(still) == 1 and still[0].id == 2 and still[0].enter_s >= 6.0


def test_only_people_with_feet_in_the_zone_count():
    zone = Zone.parse("0,0.5,0.5,0.5,0.5,1,0,1")  # lower left quarter
    tracker = new_tracker(zone)
    update, _ = feed(tracker, 0.0, 1.0, lambda t: [person(100, 400), person(500, 400), person(100, 100)])
    assert update.raw == 1 and update.count == 1


def test_walkaway_is_a_visit_that_never_reached_the_desk():
    queue = Zone.parse("0,0.5,0.5,0.5,0.5,1,0,1")
    desk = Zone.parse("0.5,0.5,1,0.5,1,1,0.5,1")
    tracker = new_tracker(queue, desk)
    # at walking pace (~1.5 body radii per second): one walks from the queue to
    # the desk, the other leaves the queue upwards, out of both zones
    feed(tracker, 0.0, 2.0, lambda t: [person(100, 400), person(200, 400)])
    feed(tracker, 2.0, 6.0, lambda t: [person(100 + 100 * (t - 2.0), 400), person(200, 400 - 60 * (t - 2.0))])
    feed(tracker, 6.0, 12.0, lambda t: [person(500, 400)])
    assert tracker.walkaways == 1
    assert len(tracker.ledger.recent) == 2


class HandFed:
    """Stands in for the people finder: the detections a test says are there."""

    def __init__(self, people_at):
        self.people_at = people_at

    def find(self, rgb, t, region=None):
        return self.people_at(t)


def test_a_new_zone_keeps_the_visits_of_people_inside_both():
    import numpy as np

    from vision.pipeline import QueueCounter

    frame = np.zeros((480, 640, 3), np.uint8)
    counter = QueueCounter(
        Zone.parse("0,0.5,1,0.5,1,1,0,1"),
        detect_hz=HZ,
        smoothing=SMOOTH,
        finder=HandFed(lambda t: [person(100), person(500, 200)]),
    )
    for k in range(10):
        counter.process(k, k * STEP, frame)
    assert counter.process(10, 10 * STEP, frame).count == 1  # the feet at y=200 are above the zone
    counter.set_zone(Zone.parse("0,0,0.5,0,0.5,1,0,1"))  # the left half: only the first person again
    counts = [counter.process(k, k * STEP, frame).count for k in range(11, 30)]
    assert counts[-1] == 1
    closed, still = counter.finish()
    assert [v.enter_s for v in still] == [0.0]  # the same visit, from before the change


class Costly(HandFed):
    """A finder that really spends ``cost_s`` of CPU per run (and finds nobody)."""

    def __init__(self, cost_s):
        super().__init__(lambda t: [])
        self.cost_s, self.runs = cost_s, 0

    def find(self, rgb, t, region=None):
        import time

        self.runs += 1
        until = time.thread_time() + self.cost_s
        while time.thread_time() < until:
            pass
        return []


def _looks(finder, budget, burst, seconds=20.0, fps=25.0):
    import numpy as np

    from vision.pipeline import QueueCounter

    frame = np.zeros((48, 64, 3), np.uint8)
    counter = QueueCounter(detect_hz=2.5, finder=finder, cpu_budget=budget, cpu_burst_s=burst)
    for k in range(int(seconds * fps)):
        counter.process(k, k / fps, frame)
    return finder.runs


@pytest.mark.slow
def test_the_cpu_budget_spaces_costly_looks_and_leaves_cheap_ones_alone():
    assert _looks(Costly(0.0), budget=0.1, burst=0.2) == 50  # 2.5 looks a second for 20 s
    costly = Costly(0.08)  # 0.2 core at the full rate, twice the budget
    runs = _looks(costly, budget=0.1, burst=0.2)
    allowed = 0.2 + 0.1 * 20.0  # the burst, then the budget for 20 s
    assert runs * 0.08 <= allowed + 0.08 + 0.02  # a look may start on the last of the credit
    assert runs * 0.08 >= allowed - 2 * 0.08  # and the budget is used, not wasted
