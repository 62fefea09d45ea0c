"""The detector model: found in the cache and checked at load; without it the camera says why and does not start."""

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from config.schema import CameraConfig
from tests.vision.conftest import WALKING_GIF, need, need_model
from vision.models import (
    CALIBRATION_SHA256,
    CONVERSION,
    CONVERSION_INT8,
    MANIFEST,
    SETUP_COMMAND,
    ModelMissing,
    calibration_tensors,
    detector_model,
    install,
    sha256_of,
    verify_files,
)
from vision.watch import QueueWatcher


def test_a_missing_model_names_the_set_up_command(tmp_path):
    with pytest.raises(ModelMissing) as err:
        detector_model(tmp_path)
    assert str(tmp_path) in str(err.value) and SETUP_COMMAND in str(err.value)
    assert err.value.exit_code == 2


def test_install_keeps_the_model_under_its_sha256_and_the_check_catches_a_changed_byte(tmp_path):
    made = tmp_path / "made.onnx"
    made.write_bytes(b"not really a model, but bytes with a hash")
    cache = tmp_path / "cache"
    target = install(made, cache, trial=False)
    assert target.name == f"{sha256_of(made)}.onnx"
    assert detector_model(cache) == target  # the cache hit a second clone finds
    target.write_bytes(b"not really a model, but bytes with a hasH")
    with pytest.raises(ModelMissing, match="sha256"):
        detector_model(cache)


def test_a_model_made_from_other_source_files_is_refused(tmp_path):
    made = tmp_path / "made.onnx"
    made.write_bytes(b"x")
    install(made, tmp_path, trial=False)
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    manifest["source_sha256"]["nanodet.bin"] = "0" * 64
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(ModelMissing, match="other files"):
        detector_model(tmp_path)


def test_a_model_made_by_another_conversion_is_refused(tmp_path):
    made = tmp_path / "made.onnx"
    made.write_bytes(b"x")
    install(made, tmp_path, trial=False)
    assert detector_model(tmp_path).is_file()
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    del manifest["conversion"]  # as the manifest of the conversion before, whose input was fixed at 416x416
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(ModelMissing, match="another conversion"):
        detector_model(tmp_path)
    (tmp_path / MANIFEST).write_text(json.dumps(manifest | {"conversion": CONVERSION + " (changed)"}))
    with pytest.raises(ModelMissing, match="another conversion"):
        detector_model(tmp_path)


def test_an_int8_model_records_its_calibration_and_the_default_check_makes_the_float_one_again(tmp_path):
    made, cache = tmp_path / "made.onnx", tmp_path / "cache"
    made.write_bytes(b"int8")
    target = install(made, cache, trial=False, int8=True)
    manifest = json.loads((cache / MANIFEST).read_text())
    assert manifest["conversion"] == CONVERSION_INT8
    assert manifest["calibration"]["package"] == "scikit-image==0.26.0"
    assert sorted(manifest["calibration"]["files"].values()) == sorted(CALIBRATION_SHA256.values())
    assert detector_model(cache) == target  # the product loads either conversion
    with pytest.raises(ModelMissing, match="another conversion"):  # what `--check` asks for the default set-up
        detector_model(cache, conversions=(CONVERSION,))
    install(made, cache, trial=False)
    assert "calibration" not in json.loads((cache / MANIFEST).read_text())


def test_a_calibration_photo_with_another_hash_is_refused(tmp_path):
    photo = tmp_path / "astronaut.png"
    photo.write_bytes(b"a photo")
    pinned = {"astronaut.png": sha256_of(photo)}
    verify_files(tmp_path, pinned, "scikit-image 0.26.0")
    photo.write_bytes(b"a photO")
    with pytest.raises(ModelMissing, match="astronaut.png: sha256"):
        verify_files(tmp_path, pinned, "scikit-image 0.26.0")


def test_calibration_tensors_are_the_cameras_input_shapes_mirrored_too(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    sizes = [(480, 640), (512, 512), (451, 300), (1080, 1920), (360, 480)]
    for (height, width), name in zip(sizes, sorted(CALIBRATION_SHA256)):
        picture = np.zeros((height, width, 3), np.uint8)
        picture[:, : width // 4] = 255  # a white band at the left: at the right once mirrored
        cv2.imwrite(str(photos / name), picture)
    assert calibration_tensors(photos, tmp_path / "tensors") == 5 * 7 * 2
    tensors = [np.load(f) for f in sorted((tmp_path / "tensors").glob("*.npy"))]
    shapes = {t.shape[2:] for t in tensors}
    assert {(320, 416), (384, 416), (416, 416)} <= shapes and all(h % 32 == 0 and w % 32 == 0 for h, w in shapes)
    first, mirrored = tensors[0], tensors[1]  # the whole 640x480 photo: 416x312 of picture
    assert first[0, :, :312, :52].mean() > first[0, :, :312, 364:].mean()
    assert mirrored[0, :, :312, 364:].mean() > mirrored[0, :, :312, :52].mean()


def test_an_unreadable_calibration_photo_is_refused(tmp_path):
    for name in CALIBRATION_SHA256:
        (tmp_path / name).write_bytes(b"not an image")
    with pytest.raises(ModelMissing, match="not an image"):
        calibration_tensors(tmp_path, tmp_path / "tensors")


def test_install_refuses_a_model_that_does_not_run_on_a_wide_input(tmp_path):
    made = tmp_path / "made.onnx"
    made.write_bytes(b"not a model")
    with pytest.raises(ModelMissing, match="does not run on a 416x416 input"):
        install(made, tmp_path / "cache")
    assert not (tmp_path / "cache" / MANIFEST).exists()


def test_set_up_made_a_model_that_passes_its_check():
    model = need_model()
    conversion = json.loads((model.parent / MANIFEST).read_text())["conversion"]
    if conversion == CONVERSION_INT8:  # `make models-int8` into this cache: a byte a weight
        assert model.stat().st_size > 3_000_000
    else:  # NanoDet-g, about 15 MB of float weights
        assert conversion == CONVERSION and model.stat().st_size > 10_000_000


def test_without_the_model_the_camera_does_not_start_and_says_why(tmp_path, monkeypatch):
    gif = need(WALKING_GIF)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # an empty cache: as if set-up had failed
    statuses, observations = [], []
    QueueWatcher(CameraConfig(enabled=True), observations.append, source=str(gif), on_status=statuses.append).run()
    assert observations == []
    assert statuses and statuses[0].startswith("camera not started:") and SETUP_COMMAND in statuses[0]


def test_vision_count_without_the_model_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    from kiosk.cli import main

    gif = need(WALKING_GIF)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    code = main(["vision", "count", str(gif), "--jsonl"])
    _, err = capsys.readouterr()
    assert code == 2 and "camera model not found" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_the_cache_folder_is_outside_the_checkout():
    model = need_model()
    repo = Path(__file__).resolve().parents[2]
    assert not model.resolve().is_relative_to(repo)


def test_vision_watch_without_the_model_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    from kiosk.cli import main

    gif = need(WALKING_GIF)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    code = main(["vision", "watch", "--source", str(gif), "--db", str(tmp_path / "w.sqlite3")])
    out, err = capsys.readouterr()
    assert code == 2 and "camera model not found" in err and SETUP_COMMAND in err and out == ""
