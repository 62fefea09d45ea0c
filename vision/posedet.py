"""The BlazePose person detector bundled with mediapipe, run on image tiles.

mediapipe 0.10.21 ships ``modules/pose_detection/pose_detection.tflite`` inside
its wheel; nothing is downloaded. The Tasks API has no bare pose *detector*, so
this module builds a small MediaPipe graph (the same calculators as mediapipe's
own ``PoseDetectionCpu`` subgraph, with our score threshold and one thread) and
feeds it one tile at a time. Each detection carries the model's body keypoints:
the mid-hip centre and a point whose distance from it is the radius of the
circle that encloses the whole body.

    with PoseDetector() as det:
        bodies = det.detect(rgb, [Tile(0, 0, 360, 360)])

Frames and tiles stay in memory; only coordinates come back.
"""

from __future__ import annotations

import math
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")  # mediapipe's C++ logs: warnings and errors only

import mediapipe as mp  # noqa: E402  (the log level must be set before the import)

MODEL = Path(mp.__file__).resolve().parent / "modules" / "pose_detection" / "pose_detection.tflite"


@dataclass(frozen=True, slots=True)
class Tile:
    """A rectangle of the frame in pixels, ``x1``/``y1`` exclusive."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def side(self) -> int:
        return min(self.x1 - self.x0, self.y1 - self.y0)


@dataclass(frozen=True, slots=True)
class Body:
    """One detected person in frame pixels: mid-hip centre and whole-body radius."""

    score: float
    hip_x: float
    hip_y: float
    radius: float
    tile: Tile

    def foot(self, frame_height: int) -> tuple[float, float]:
        """Bottom centre of the body: on the clips with ground truth the feet lie
        a median 0.9–1.2 radii below the hip point, so one radius is used. A
        person close to the camera has feet below the frame: the point is then
        held on the frame's bottom edge, the lowest point of them that is seen."""
        return (self.hip_x, min(self.hip_y + self.radius, frame_height - 1.0))

    @property
    def box(self) -> tuple[float, float, float, float]:
        """An upright body box (x0, y0, x1, y1) implied by hip and radius."""
        r = self.radius
        return (self.hip_x - 0.4 * r, self.hip_y - r, self.hip_x + 0.4 * r, self.hip_y + r)


def _graph_config(model: Path, min_score: float) -> str:
    # Anchor and decoding parameters are the model's own (mediapipe's
    # pose_detection_cpu.pbtxt); what differs: one thread, our threshold.
    return f"""
input_stream: "image"
output_stream: "detections"
num_threads: 1
node {{
  calculator: "ImageToTensorCalculator"
  input_stream: "IMAGE:image"
  output_stream: "TENSORS:input_tensors"
  output_stream: "LETTERBOX_PADDING:letterbox_padding"
  options: {{ [mediapipe.ImageToTensorCalculatorOptions.ext] {{
    output_tensor_width: 224 output_tensor_height: 224 keep_aspect_ratio: true
    output_tensor_float_range {{ min: -1.0 max: 1.0 }} border_mode: BORDER_ZERO }} }}
}}
node {{
  calculator: "InferenceCalculator"
  input_stream: "TENSORS:input_tensors"
  output_stream: "TENSORS:detection_tensors"
  options: {{ [mediapipe.InferenceCalculatorOptions.ext] {{
    model_path: "{model}" delegate {{ xnnpack {{ num_threads: 1 }} }} }} }}
}}
node {{
  calculator: "SsdAnchorsCalculator"
  output_side_packet: "anchors"
  options: {{ [mediapipe.SsdAnchorsCalculatorOptions.ext] {{
    num_layers: 5 min_scale: 0.1484375 max_scale: 0.75
    input_size_height: 224 input_size_width: 224 anchor_offset_x: 0.5 anchor_offset_y: 0.5
    strides: 8 strides: 16 strides: 32 strides: 32 strides: 32
    aspect_ratios: 1.0 fixed_anchor_size: true }} }}
}}
node {{
  calculator: "TensorsToDetectionsCalculator"
  input_stream: "TENSORS:detection_tensors"
  input_side_packet: "ANCHORS:anchors"
  output_stream: "DETECTIONS:unfiltered_detections"
  options: {{ [mediapipe.TensorsToDetectionsCalculatorOptions.ext] {{
    num_classes: 1 num_boxes: 2254 num_coords: 12 box_coord_offset: 0
    keypoint_coord_offset: 4 num_keypoints: 4 num_values_per_keypoint: 2
    sigmoid_score: true score_clipping_thresh: 100.0 reverse_output_order: true
    x_scale: 224.0 y_scale: 224.0 h_scale: 224.0 w_scale: 224.0
    min_score_thresh: {min_score} }} }}
}}
node {{
  calculator: "NonMaxSuppressionCalculator"
  input_stream: "unfiltered_detections"
  output_stream: "filtered_detections"
  options: {{ [mediapipe.NonMaxSuppressionCalculatorOptions.ext] {{
    min_suppression_threshold: 0.3 overlap_type: INTERSECTION_OVER_UNION algorithm: WEIGHTED }} }}
}}
node {{
  calculator: "DetectionLetterboxRemovalCalculator"
  input_stream: "DETECTIONS:filtered_detections"
  input_stream: "LETTERBOX_PADDING:letterbox_padding"
  output_stream: "DETECTIONS:detections"
}}
"""


@contextmanager
def _quiet_native_stderr():
    """Swallow what native code prints on file descriptor 2 (a pipe, not a file:
    nothing is opened for writing)."""
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    saved = os.dup(2)
    os.dup2(write_end, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(write_end)
        os.read(read_end, 1 << 16)
        os.close(read_end)


class PoseDetector:
    """BlazePose detector on one CPU thread; ``detect`` runs it once per tile."""

    def __init__(self, min_score: float = 0.3, model: Path = MODEL):
        if not model.is_file():
            raise FileNotFoundError(f"the pose detection model is missing from the mediapipe package: {model}")
        self._results: dict[int, list] = {}
        self._stamp = 0
        self.inferences = 0
        with _quiet_native_stderr():  # TFLite greets on stderr when the graph starts
            self._graph = mp.CalculatorGraph(graph_config=_graph_config(model, min_score))
            self._graph.observe_output_stream("detections", self._collect)
            self._graph.start_run()
            self.detect(np.zeros((64, 64, 3), np.uint8), [Tile(0, 0, 64, 64)])
        self.inferences = 0  # tiles run so far: the unit of cost

    def _collect(self, _stream: str, packet) -> None:
        self._results[packet.timestamp.value] = mp.packet_getter.get_proto_list(packet)

    def detect(self, rgb: np.ndarray, tiles: list[Tile]) -> list[Body]:
        """Every body found in each tile of an RGB frame, in frame pixels."""
        self._results.clear()
        stamps = []
        for tile in tiles:
            crop = np.ascontiguousarray(rgb[tile.y0 : tile.y1, tile.x0 : tile.x1])
            packet = mp.packet_creator.create_image_frame(image_format=mp.ImageFormat.SRGB, data=crop)
            self._graph.add_packet_to_input_stream("image", packet.at(self._stamp))
            stamps.append(self._stamp)
            self._stamp += 1
        self._graph.wait_until_idle()
        self.inferences += len(tiles)
        bodies = []
        for stamp, tile in zip(stamps, tiles):
            w, h = tile.x1 - tile.x0, tile.y1 - tile.y0
            for det in self._results.get(stamp, ()):
                hip, extent = det.location_data.relative_keypoints[0], det.location_data.relative_keypoints[1]
                hx, hy = tile.x0 + hip.x * w, tile.y0 + hip.y * h
                radius = math.hypot((extent.x - hip.x) * w, (extent.y - hip.y) * h)
                bodies.append(Body(float(det.score[0]), hx, hy, radius, tile))
        self._results.clear()
        return bodies

    def close(self) -> None:
        if self._graph is not None:
            self._graph.close()
            self._graph = None

    def __enter__(self) -> "PoseDetector":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
