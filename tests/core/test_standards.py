from kiosk.core.model import Action, Level, LiveTicket, Period, QueueObservation, QueueSnapshot, State, Ticket
from kiosk.core.standards import alerts_in_force, diff_alerts, level_of, overall_level


def live(tid, service, since, state=State.WAITING):
    t = Ticket(tid, "d", f"A{tid:03d}", "A", tid, False, since)
    return LiveTicket(t, Period(tid, 0, state, Action.ISSUE, since, None, service))


def test_level_lines():
    assert level_of(79, 100, 0.8) is Level.WITHIN
    assert level_of(80, 100, 0.8) is Level.WARNING
    assert level_of(100, 100, 0.8) is Level.BREACH


def test_wait_and_service_alerts_against_each_services_targets(cfg):
    # CASH: wait 600 s, service 300 s; warning at 80 %
    snap = QueueSnapshot(
        at=1000.0,
        day="d",
        tickets=(
            live(1, "CASH", 1000.0 - 500),  # 500 s waiting: warning (>= 480)
            live(2, "CASH", 1000.0 - 700),  # breach
            live(3, "CASH", 1000.0 - 100),  # fine
            live(4, "CASH", 1000.0 - 301, State.SERVING),  # service breach
        ),
    )
    got = {(a.kind, a.subject, a.level) for a in alerts_in_force(snap, cfg)}
    assert got == {
        ("wait", "A001", Level.WARNING),
        ("wait", "A002", Level.BREACH),
        ("service_time", "A004", Level.BREACH),
    }


def test_queue_length_uses_the_camera_when_it_sees_more(cfg):
    tickets = tuple(live(i, "CASH", 999.0) for i in range(1, 4))
    snap = QueueSnapshot(at=1000.0, day="d", tickets=tickets, observation=QueueObservation(at=1000.0, people=12))
    alerts = alerts_in_force(snap, cfg)
    kinds = {(a.kind, a.level) for a in alerts}
    assert ("queue_length", Level.BREACH) in kinds  # 12 people >= breach length 12
    assert ("untracked_people", Level.WARNING) in kinds  # 9 more people than tickets
    assert alerts[0].level is Level.BREACH  # most severe first
    assert overall_level(alerts) is Level.BREACH


def test_diff_reports_level_changes_as_clear_and_raise(cfg):
    before = alerts_in_force(QueueSnapshot(at=1000.0, day="d", tickets=(live(1, "CASH", 500.0),)), cfg)
    after = alerts_in_force(QueueSnapshot(at=1200.0, day="d", tickets=(live(1, "CASH", 500.0),)), cfg)
    changes = diff_alerts(before, after)
    assert [a.level for a in changes.cleared] == [Level.WARNING]
    assert [a.level for a in changes.raised] == [Level.BREACH]
    assert diff_alerts(after, after).raised == []
