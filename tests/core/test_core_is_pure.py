"""The core must run without a window, a camera, a port or a database driver."""

import ast
from pathlib import Path

FORBIDDEN = {"kivy", "cv2", "mediapipe", "serial", "sqlite3", "psycopg", "norfair", "escpos"}
CORE = Path(__file__).resolve().parents[2] / "kiosk" / "core"


def imported_roots(source: str) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_core_modules_import_no_adapter_library():
    files = sorted(CORE.glob("*.py"))
    assert len(files) >= 5
    for file in files:
        bad = imported_roots(file.read_text()) & FORBIDDEN
        assert not bad, f"{file.name} imports {bad}"


def test_checker_would_catch_an_adapter_import():
    assert imported_roots("import cv2\nfrom kivy.app import App") & FORBIDDEN == {"cv2", "kivy"}
