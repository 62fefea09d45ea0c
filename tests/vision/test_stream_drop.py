"""A stream that drops mid-run: ``vision count`` and ``vision dwell`` end in one line, exit 5.

The stream is a real MJPEG over HTTP (``multipart/x-mixed-replace``, what an IP camera's
``/video.mjpg`` serves) from a server in the test on the loopback: it sends a few frames of the
walking GIF, then closes the connection, as a camera unplugged or a network drop would. OpenCV
reads it through FFmpeg, the path every URL source takes. The frames are JPEG-encoded in this
process's memory and go only through the loopback socket. No clock is involved: the client reads
every frame sent, then the end of the stream.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator

import cv2
import pytest

from tests.cli_run import run
from tests.vision.conftest import WALKING_GIF, need_counting
from vision.capture import open_source

FRAMES_SENT = 6


def jpeg_frames(count: int) -> list[bytes]:
    cap = cv2.VideoCapture(str(WALKING_GIF))
    frames = []
    while len(frames) < count:
        ok, image = cap.read()
        assert ok, "the walking GIF holds more frames than the test sends"
        frames.append(cv2.imencode(".jpg", image)[1].tobytes())
    cap.release()
    return frames


@pytest.fixture(scope="module")
def dropping_stream() -> Iterator[str]:
    """The URL of an MJPEG stream that sends FRAMES_SENT frames to each client, then drops."""
    need_counting(WALKING_GIF)
    frames = jpeg_frames(FRAMES_SENT)

    class Camera(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=frame")
            self.end_headers()
            for frame in frames:
                head = f"--frame\r\nContent-Type: image/jpeg\r\nContent-Length: {len(frame)}\r\n\r\n"
                self.wfile.write(head.encode() + frame + b"\r\n")
            # the handler returns and the connection closes: the stream has dropped

        def log_message(self, *args) -> None:  # the test's output holds only the command's
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Camera)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/video.mjpg"
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_stream_is_read_as_a_live_source_up_to_the_drop(dropping_stream):
    with open_source(dropping_stream) as src:
        assert src.info.live
        while src.grab() is not None:
            pass
        assert src.frames == FRAMES_SENT


def assert_dropped(code: int, err: str, url: str) -> None:
    assert code == 5, err
    assert err == (
        f"frontdesk: camera {url!r} stopped delivering frames after {FRAMES_SENT} frames"
        " (unplugged, or the stream dropped)\n"
    )


def test_count_prints_every_frame_it_got_then_says_the_stream_stopped(dropping_stream, capfd):
    code, out, err = run("vision", "count", dropping_stream, "--jsonl")
    assert_dropped(code, err, dropping_stream)
    assert [json.loads(line)["frame"] for line in out.splitlines()] == list(range(FRAMES_SENT))
    native_out, native_err = capfd.readouterr()  # FFmpeg's own complaint about the drop is quieted
    assert native_err == ""


def test_dwell_says_the_stream_stopped_and_claims_no_visit_ended_there(dropping_stream):
    code, out, err = run("vision", "dwell", dropping_stream, "--jsonl")
    assert_dropped(code, err, dropping_stream)
    assert all(not json.loads(line).get("open") for line in out.splitlines())


def test_a_file_that_simply_ends_is_exit_0():
    code, out, err = run("vision", "count", str(need_counting(WALKING_GIF)), "--jsonl")
    assert code == 0 and err == ""
    assert len(out.splitlines()) == 35
