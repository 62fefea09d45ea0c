"""The Anonymous Bank TSV to the CSV log: the mapping, and every odd row named, never dropped silently."""

import io

from kiosk.reports.bank import BANK_COLUMNS, convert


def tsv(*rows: dict) -> io.StringIO:
    lines = ["\t".join(BANK_COLUMNS)]
    for r in rows:
        base = {
            "vru+line": "AA0101",
            "call_id": "1",
            "customer_id": "23317894",
            "priority": "0",
            "type": "PS",
            "date": "990201",
            "vru_entry": "9:59:50",
            "vru_exit": "10:00:00",
            "vru_time": "10",
            "q_start": "10:00:00",
            "q_exit": "10:01:00",
            "q_time": "60",
            "outcome": "AGENT",
            "ser_start": "10:00:59",
            "ser_exit": "10:03:00",
            "ser_time": "121",
            "server": "DORIT",
        }
        base.update(r)
        lines.append("\t".join(base[c] for c in BANK_COLUMNS))
    return io.StringIO("\n".join(lines) + "\n")


def test_a_queued_served_contact_becomes_a_ticket_without_its_customer_id():
    [c] = list(convert(tsv({})))
    assert c.row is not None
    assert c.row.cells() == [
        "990201-AA0101-1",
        "PS",
        "normal",
        "1999-02-01T10:00:00",
        "1999-02-01T10:01:00",
        # the service clock lags 1 s: the start is taken as the call
        "1999-02-01T10:01:00",
        "1999-02-01T10:03:00",
        "",
        "served",
        "DORIT",
    ]
    assert "23317894" not in ",".join(c.row.cells())


def test_served_without_queueing_waited_nothing_and_abandoned_left_at_q_exit():
    direct, gone = list(
        convert(
            tsv(
                {
                    "q_start": "0:00:00",
                    "q_exit": "0:00:00",
                    "q_time": "0",
                    "ser_start": "10:00:00",
                    "server": "NO_SERVER",
                },
                {
                    "call_id": "2",
                    "priority": "2",
                    "outcome": "HANG",
                    "ser_start": "0:00:00",
                    "ser_exit": "0:00:00",
                    "server": "NO_SERVER",
                },
            )
        )
    )
    assert direct.row.wait_s == 0.0 and direct.row.staff is None
    assert (gone.row.outcome, gone.row.priority, gone.row.cells()[7]) == ("abandoned", True, "1999-02-01T10:01:00")


def test_odd_rows_are_flagged_with_their_line_and_reason():
    converted = list(
        convert(
            tsv(
                {"outcome": "PHANTOM"},
                {
                    "outcome": "HANG",
                    "q_start": "0:00:00",
                    "q_exit": "0:00:00",
                    "ser_start": "0:00:00",
                    "ser_exit": "0:00:00",
                },
                {"q_start": "23:59:50", "q_exit": "0:00:10", "ser_start": "0:00:10", "ser_exit": "0:02:00"},
                {"ser_start": "10:00:40"},  # 20 s before the call: beyond the clock skew
                {"ser_start": "10:01:00", "ser_exit": "10:01:00"},
                {"ser_start": "0:00:00", "ser_exit": "0:00:00"},
                {"outcome": "HANG", "ser_start": "10:01:00", "ser_exit": "10:02:00"},
                {"outcome": "TRANSFER"},
            )
        )
    )
    assert [c.line for c in converted] == [2, 3, 4, 5, 6, 7, 8, 9]
    assert converted[0].not_ticket == "PHANTOM: not a real contact"
    assert converted[1].not_ticket == "hung up in the automated front end before queueing"
    assert "crosses midnight" in converted[2].bad
    assert converted[3].bad.startswith("ser_start 10:00:40 is 20 s before q_exit 10:01:00")
    assert converted[4].bad == "a zero-length service (ser_start = ser_exit)"
    assert converted[5].bad == "a served (AGENT) row without service times"
    assert converted[6].bad == "a walk-away (HANG) row also carries service times"
    assert converted[7].bad == "unknown outcome 'TRANSFER' (AGENT, HANG or PHANTOM)"
    assert all(c.row is None for c in converted)


def test_the_real_log_converts_with_every_line_accounted_for(bank_tsv):
    with open(bank_tsv, encoding="utf-8", newline="") as src:
        converted = list(convert(src))
    with open(bank_tsv, encoding="utf-8") as src:
        data_lines = sum(1 for _ in src) - 1
    assert len(converted) == data_lines  # nothing silently dropped
    tickets = sum(1 for c in converted if c.row)
    assert 15_500 < tickets < 16_300
    assert sum(1 for c in converted if c.not_ticket and c.not_ticket.startswith("PHANTOM")) == 143
