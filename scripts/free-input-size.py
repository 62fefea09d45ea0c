"""Set-up step, run by scripts/setup-models.sh in the throwaway build environment (it has onnx):
leave the converted NanoDet's input height and width free, so that the product can feed a
search region at its own shape (416x320 for a 16:9 frame) instead of padding it to 416x416.

tf2onnx converts the graph for its fixed 416x416 input, which turns the TensorFlow.js graph's
fixed-size upsamplings (ResizeBilinear to 26x26, 52x52) into Resize by scale factors (2, 0.5);
every other layer is a convolution, a pad of one pixel, an element-wise op or a reshape to
(1, channels, -1). So the converted graph does not depend on the input's size, and only the
input's declared shape has to be freed. (Asking tf2onnx for a free input instead,
``--inputs input_1:0[1,3,-1,-1]``, keeps the upsamplings' fixed sizes: the model then fails on
any input but the square.) This script checks that claim on the graph before it frees the
input; ``python -m vision.models --install`` then runs the model on a square and a wide input.

    python scripts/free-input-size.py nanodet.onnx      # rewritten in place
"""

import sys

import onnx

SIDE = 416
MODEL_INPUT = "input_1:0"


def free_input_size(path: str) -> None:
    model = onnx.load(path)
    graph = model.graph
    if [i.name for i in graph.input] != [MODEL_INPUT]:
        sys.exit(f"{path}: expected one input {MODEL_INPUT}, found {[i.name for i in graph.input]}")
    dims = graph.input[0].type.tensor_type.shape.dim
    if [d.dim_value for d in dims] != [1, 3, SIDE, SIDE]:
        sys.exit(f"{path}: expected the input 1x3x{SIDE}x{SIDE}, found {[d.dim_value or d.dim_param for d in dims]}")
    for node in graph.node:
        # a Resize by sizes (its fourth input) would fix the feature maps' size: not free
        if node.op_type == "Resize" and len(node.input) > 3 and node.input[3]:
            sys.exit(f"{path}: {node.name} resizes to a fixed size; the input cannot be freed")
    dims[2].dim_param, dims[3].dim_param = "height", "width"
    onnx.checker.check_model(model)
    onnx.save(model, path)


if __name__ == "__main__":
    free_input_size(sys.argv[1])
