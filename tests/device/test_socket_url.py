"""Ports are pyserial URLs: the sensor over socket:// (a network serial server), with a reconnect."""

from __future__ import annotations

import socket
import threading

import pytest

from device.ld2410 import Report, Target, encode_report
from device.link import LinkState
from device.sensor import PresenceSensor
from tests.device.conftest import FAST_BACKOFF, wait_until


class FrameServer:
    """A loopback TCP server that streams LD2410 frames to each client until told to drop it."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.clients = 0
        self.drop = threading.Event()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        frame = encode_report(Report(Target.MOVING, 110, 50, 0, 0, 110))
        self.sock.settimeout(0.1)
        while not self.done.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            self.clients += 1
            with conn:
                while not (self.done.is_set() or self.drop.is_set()):
                    try:
                        conn.sendall(frame[:10])  # split frames, as a serial server forwards them
                        conn.sendall(frame[10:])
                    except OSError:
                        break
                    self.done.wait(0.05)
            self.drop.clear()

    def close(self) -> None:
        self.done.set()
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.mark.slow
def test_sensor_over_socket_url_reads_reports_and_reconnects():
    server = FrameServer()
    arrivals = []
    sensor = PresenceSensor(f"socket://127.0.0.1:{server.port}", arrivals.append, backoff=FAST_BACKOFF)
    sensor.start()
    try:
        assert wait_until(lambda: len(arrivals) == 1 and sensor.reports >= 3)
        server.drop.set()  # the serial server restarts
        assert wait_until(lambda: server.clients == 2)
        seen = sensor.reports
        assert wait_until(lambda: sensor.reports >= seen + 3)
        assert sensor.status.state is LinkState.CONNECTED and sensor.link.connections == 2
    finally:
        sensor.stop()
        server.close()
