"""Run ``frontdesk`` in the test's own process and check that a refusal is one clear line.

Running ``kiosk.cli.main`` in process (not as a subprocess) means an exception that is not a
FrontdeskError fails the test with the traceback a user would have seen.
"""

from __future__ import annotations

import contextlib
import io

from kiosk.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    """``frontdesk *argv``: its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def assert_one_line(code: int, err: str, names: str, exit_code: int = 2) -> None:
    """The command exited ``exit_code`` with one ``frontdesk:`` line naming ``names``, nothing else."""
    assert code == exit_code, err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("frontdesk: "), err
    assert names in err, err
