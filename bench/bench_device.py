"""Device benchmarks: LD2410 decoder throughput and CPU share, ticket size and print time.

Run: .venv/bin/python bench/bench_device.py   (about 30 s; prints the figures for docs/device.md)
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from device import ld2410  # noqa: E402
from device.ld2410 import Decoder, Engineering, Report, Target  # noqa: E402
from device.printer import TicketPrinter  # noqa: E402
from device.sensor import PresenceSensor  # noqa: E402
from device.sim.printer import PrinterSimulator  # noqa: E402
from device.sim.pty import PtyWire  # noqa: E402
from device.ticket import LANGUAGES, TicketComposer, TicketSlip  # noqa: E402

SERVICE = {
    "mn": "Бэлэн мөнгө, төлбөр",
    "hy": "Կանխիկ և վճարումներ",
    "en": "Cash and payments",
    "ru": "Наличные и платежи",
}
PAPER_MM_PER_S = 150  # a conservative thermal head; the TM-T20II is rated 200 mm/s


def slip(lang: str) -> TicketSlip:
    return TicketSlip(
        "Sukhbaatar Square Branch", "A042", SERVICE[lang], datetime(2026, 11, 24, 10, 42), 3, 10, 15, lang
    )


def decoder_throughput(frames: int = 100_000) -> None:
    rng = random.Random(7)
    eng = Engineering(8, 8, tuple(range(9)), tuple(range(9)), 100, 1)
    kinds = [Report(Target.BOTH, 79, 100, 76, 100, 50), Report(Target.MOVING, 150, 60, 0, 0, 150, eng)]
    stream = b"".join(ld2410.encode_report(kinds[i % 2]) for i in range(frames))
    chunks, i = [], 0
    while i < len(stream):  # reads of 1..64 bytes, like a UART under load
        n = rng.randint(1, 64)
        chunks.append(stream[i : i + n])
        i += n
    decoder = Decoder()
    began = time.process_time()
    got = sum(len(decoder.feed(c)) for c in chunks)
    cpu = time.process_time() - began
    assert got == frames
    rate = frames / cpu
    print(f"decoder: {frames} frames (half basic, half engineering) in {cpu:.2f} s CPU = {rate:,.0f} frames/s")
    for hz in (10, 20):
        print(f"decoder: CPU share at {hz} reports/s = {100 * hz / rate:.4f} % of a core")
    garbage = bytes(rng.randrange(256) for _ in range(200_000))
    began = time.process_time()
    Decoder().feed(garbage)
    print(f"decoder: pure garbage {len(garbage) / (time.process_time() - began) / 1e6:.1f} MB/s skipped")


def driver_cpu(seconds: float = 6.0, hz: float = 20.0) -> None:
    """The whole sensor driver (reader thread, watchdog) against a simulator in another process."""
    sim = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli", "devices", "simulate", "ld2410", "--presence", "moving", "--hz", str(hz)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        path = sim.stdout.readline().strip()
        sensor = PresenceSensor(path, on_presence=lambda p: None)
        sensor.start()
        time.sleep(1.0)
        reports0, cpu0, wall0 = sensor.reports, time.process_time(), time.monotonic()
        time.sleep(seconds)
        cpu, wall, n = time.process_time() - cpu0, time.monotonic() - wall0, sensor.reports - reports0
        sensor.stop()
    finally:
        sim.send_signal(signal.SIGINT)
        sim.wait(10)
    print(
        f"sensor driver: {n / wall:.1f} reports/s received over a pty, {100 * cpu / wall:.2f} % of a core "
        f"(reader thread + 4 Hz watchdog, whole process)"
    )


def ticket_sizes() -> None:
    composer = TicketComposer()
    print(
        f"ticket: profile {composer.profile}, {composer.width_dots} dots, {composer.dpi} dpi;"
        f" head {PAPER_MM_PER_S} mm/s"
    )
    print("lang  bytes  raster-lines  raster-bytes  compose-ms  paper-mm  est@9600  est@115200")
    for lang in LANGUAGES:
        began = time.perf_counter()
        job = TicketComposer().compose(slip(lang))  # a fresh composer: font loading included
        ms = (time.perf_counter() - began) * 1000
        feed = job.paper_mm / PAPER_MM_PER_S
        est = {baud: max(len(job.data) * 10 / baud, feed) for baud in (9600, 115200)}
        print(
            f"{lang:4}  {len(job.data):5}  {job.raster_lines:12}  {job.raster_bytes:12}  {ms:10.1f}  "
            f"{job.paper_mm:8.0f}  {est[9600]:7.2f}s  {est[115200]:9.2f}s"
        )


def measured_print_times() -> None:
    """End to end through the real driver, over a pty, to a simulator reading at the line rate."""
    print("measured over a pty at line rate (status before + job + drain + status after):")
    for baud in (9600, 115200):
        for lang in LANGUAGES:
            sim = PrinterSimulator(line_bytes_per_s=baud / 10)
            wire = PtyWire(sim, "printer").start()
            printer = TicketPrinter(wire.path, baudrate=baud)
            printer.start()
            deadline = time.monotonic() + 3
            while not printer.link.connected and time.monotonic() < deadline:
                time.sleep(0.01)
            result = printer.print_ticket(slip(lang), timeout=60)
            printer.stop()
            wire.stop()
            assert result.printed, result
            print(f"  {baud:6} baud  {lang}: {result.bytes_sent:5} bytes in {result.seconds:5.2f} s")


if __name__ == "__main__":
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    decoder_throughput()
    driver_cpu()
    ticket_sizes()
    measured_print_times()
