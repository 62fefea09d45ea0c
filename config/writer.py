"""The one edit frontdesk makes to a branch file: the camera's zone, saved from the kiosk.

Reading the file is ``config.loader``'s; this rewrites ``zone`` under ``[camera]`` and
nothing else, keeping every other byte (comments, order, spacing), through tomlkit::

    write_zone(Path("branch.toml"), [(0.1, 0.4), (0.9, 0.4), (0.9, 1.0), (0.1, 1.0)])
"""

from __future__ import annotations

import codecs
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import tomlkit

from kiosk.errors import ConfigError


def write_zone(path: Path, corners: Sequence[Sequence[float]]) -> None:
    """Put ``zone = …`` under ``[camera]`` in the branch's TOML file, and nothing else:
    every other byte of the file (comments, order, spacing) stays as it was.

    Raises :class:`ConfigError` naming the file when it cannot be read, parsed or
    written; the file is then left untouched. The new file replaces the old in one
    step, so a crash never leaves half a config behind.
    """
    path = Path(path)
    try:
        with path.open("r+b") as file:  # writable? (replacing it would otherwise bypass a read-only file)
            raw = file.read()
    except OSError as exc:
        raise ConfigError(str(path), "camera.zone", f"cannot write the file: {exc.strerror or exc}") from None
    encoding = "utf-8-sig" if raw.startswith(codecs.BOM_UTF8) else "utf-8"  # a BOM (Notepad's) stays
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), "(file)", f"cannot read it: {exc}") from None
    try:
        doc = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError(str(path), "(syntax)", f"not valid TOML: {exc}") from None
    camera = doc.get("camera")
    if camera is None:
        camera = doc["camera"] = tomlkit.table()
    camera["zone"] = [[float(x), float(y)] for x, y in corners]
    new_text = tomlkit.dumps(doc)
    tmp = path.with_name(f".{path.name}.zone-tmp")
    try:
        tmp.write_text(new_text, encoding=encoding)
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ConfigError(str(path), "camera.zone", f"cannot write the file: {exc.strerror or exc}") from None
