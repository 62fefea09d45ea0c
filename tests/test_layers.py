"""The layers hold: every import of every module is read (with ast, functions' bodies too).

- ``kiosk/core`` uses only the standard library, itself and ``kiosk.errors``: no window,
  camera, port, database driver, nor any other part of the product;
- ``vision/``, ``device/`` and ``config/`` use nothing of ``kiosk`` but ``kiosk.core.model``
  (the values at the seams) and ``kiosk.errors``;
- no module imports another module's underscore names (attribute access such as
  ``store._run`` is ruff's SLF001, run by ``make check``).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("kiosk", "vision", "device", "config")
SEAMS = {"kiosk.core.model", "kiosk.errors"}


def imports(source: str, module: str) -> Iterator[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for each import in ``source``."""
    package = module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package upwards
                parts = package[: len(package) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            yield base, [alias.name for alias in node.names], node.lineno


def modules(*roots: str) -> Iterator[tuple[str, Path]]:
    for root in roots:
        for path in sorted((REPO / root).rglob("*.py")):
            rel = path.relative_to(REPO).with_suffix("")
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            yield ".".join(parts), path


def core_breaches(module: str, source: str) -> list[str]:
    bad = []
    for name, _, line in imports(source, module):
        root = name.split(".")[0]
        if name.startswith("kiosk.core") or name == "kiosk.errors" or root == "__future__":
            continue
        if root not in sys.stdlib_module_names or root in PACKAGES:
            bad.append(f"{module}:{line} imports {name}")
    return bad


def adapter_breaches(module: str, source: str) -> list[str]:
    return [
        f"{module}:{line} imports {name}"
        for name, _, line in imports(source, module)
        if name.split(".")[0] == "kiosk" and name not in SEAMS
    ]


def private_imports(module: str, source: str) -> list[str]:
    return [
        f"{module}:{line} takes {n} from {name}"
        for name, names, line in imports(source, module)
        if name.split(".")[0] in (*PACKAGES, "tests") and name != module
        for n in names
        if n.startswith("_") and not n.startswith("__")
    ]


def test_the_core_uses_only_the_standard_library_itself_and_its_errors():
    found = list(modules("kiosk/core"))
    assert len(found) >= 6
    bad = [b for module, path in found for b in core_breaches(module, path.read_text(encoding="utf-8"))]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("package", ["vision", "device", "config"])
def test_an_adapter_uses_of_kiosk_only_the_core_values_and_the_errors(package):
    found = list(modules(package))
    assert found
    bad = [b for module, path in found for b in adapter_breaches(module, path.read_text(encoding="utf-8"))]
    assert not bad, "\n".join(bad)


def test_no_module_imports_another_modules_underscore_names():
    found = list(modules(*PACKAGES, "tests", "bench"))
    bad = [b for module, path in found for b in private_imports(module, path.read_text(encoding="utf-8"))]
    assert not bad, "\n".join(bad)


def test_the_checks_catch_what_they_are_for():
    assert core_breaches("kiosk.core.queue", "import cv2\nfrom kiosk.store import open_store\nimport json") == [
        "kiosk.core.queue:1 imports cv2",
        "kiosk.core.queue:2 imports kiosk.store",
    ]
    assert core_breaches("kiosk.core.queue", "from . import model\nfrom ..ui import app") == [
        "kiosk.core.queue:2 imports kiosk.ui"
    ]
    assert core_breaches("kiosk.core.queue", "from kiosk.errors import UsageError\nimport kiosk.core.model") == []
    assert adapter_breaches("vision.cli", "def f():\n    from kiosk.cli_ui import size\n") == [
        "vision.cli:2 imports kiosk.cli_ui"
    ]
    assert adapter_breaches("vision.cli", "from kiosk.core.model import QueueObservation") == []
    assert private_imports("vision.cli", "from kiosk.cli_ui import _size, __doc__") == [
        "vision.cli:1 takes _size from kiosk.cli_ui"
    ]
