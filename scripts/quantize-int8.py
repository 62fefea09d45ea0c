"""Set-up step, run by scripts/setup-models.sh in the throwaway build environment (it has onnx and
onnxruntime): NanoDet's ONNX graph quantized to int8, calibrated on photos that are not the
evaluated footage (scikit-image's sample photos, turned into the model's input tensors by
``python -m vision.models --calibration-tensors``, the product's own letterbox).

onnxruntime's static quantization, QDQ format, weights int8 per output channel, activations
uint8, ranges by MinMax over the calibration tensors. Two parts stay float:

* the max-pool after the first convolution and the pad before it: that pad fills with -inf
  (so the border never wins the max), which no int8 range holds (quantized, the model found
  nobody);
* the head's outputs after its last convolutions (split into scores and distances, sigmoid,
  reshape, transpose): quantized, each level's scores were capped at the highest score the
  calibration photos reached at that level (0.556 on one of them, so no person on the PETS
  clip scored above it, and the tracker's 0.5 "count at once" rule changed its counts).

Percentile and entropy calibration changed more sure boxes than MinMax (docs/vision.md).

    python scripts/quantize-int8.py nanodet.onnx TENSOR_DIR nanodet-int8.onnx
"""

import sys
from pathlib import Path

import numpy as np
import onnx
from onnxruntime.quantization import CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType, quantize_static

MODEL_INPUT = "input_1:0"


class Tensors(CalibrationDataReader):
    """The calibration tensors (.npy, 1x3xHxW, already normalised), one per call."""

    def __init__(self, folder: Path):
        self.files = sorted(folder.glob("*.npy"))
        if not self.files:
            sys.exit(f"{folder}: no calibration tensors")

    def get_next(self):
        return {MODEL_INPUT: np.load(self.files.pop())} if self.files else None


HEAD_OUTPUT_OPS = ("Split", "Sigmoid", "Reshape", "Transpose")


def kept_float(model: onnx.ModelProto) -> list[str]:
    """The max-pool, the pad that feeds it -inf, and the head's output ops."""
    pools = [n for n in model.graph.node if n.op_type == "MaxPool"]
    pool_inputs = {n.input[0] for n in pools}
    pads = [n for n in model.graph.node if n.op_type == "Pad" and n.output[0] in pool_inputs]
    if len(pools) != 1 or len(pads) != 1:
        sys.exit(f"expected one max-pool fed by one pad, found {len(pools)} and {len(pads)}")
    outputs = [n for n in model.graph.node if n.op_type in HEAD_OUTPUT_OPS]
    return [n.name for n in pools + pads + outputs]


def quantize(source: str, tensors: str, target: str) -> None:
    quantize_static(
        source,
        target,
        Tensors(Path(tensors)),
        quant_format=QuantFormat.QDQ,
        per_channel=True,
        activation_type=QuantType.QUInt8,
        weight_type=QuantType.QInt8,
        calibrate_method=CalibrationMethod.MinMax,
        nodes_to_exclude=kept_float(onnx.load(source)),
    )


if __name__ == "__main__":
    quantize(*sys.argv[1:4])
