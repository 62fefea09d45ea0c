"""Errors that the command line turns into a clear message and an exit code.

Every error a user can cause (bad config, bad input, a transition the lifecycle
does not allow, an unreachable database) derives from :class:`FrontdeskError`;
the CLI prints its message to stderr and exits with its ``exit_code``. Anything
else is a bug and keeps its traceback.
"""


class FrontdeskError(Exception):
    """A fault the user can act on; ``str(err)`` is the whole message."""

    exit_code = 1


class ConfigError(FrontdeskError):
    """An invalid configuration file: names the file, the key and what is wrong."""

    exit_code = 2

    def __init__(self, path: str, key: str, problem: str):
        self.path, self.key, self.problem = path, key, problem
        super().__init__(f"{path}: {key}: {problem}")


class UsageError(FrontdeskError):
    """Bad input on the command line or in a file (unknown service, bad row…)."""

    exit_code = 2


class LifecycleError(FrontdeskError):
    """A transition the ticket lifecycle does not allow (finish a ticket never called…)."""

    exit_code = 3


class StoreError(FrontdeskError):
    """The database is unreachable, locked, damaged, or not ours."""

    exit_code = 4


def shown(text: str, limit: int = 240) -> str:
    """``text`` as a one-line message can quote it: itself when it is printable and short,
    else its ``repr`` (NULs, line ends and bytes that are not UTF-8 made visible), cut to ``limit``.

    >>> shown("/dev/ttyUSB0")
    '/dev/ttyUSB0'
    >>> shown("rtsp://cam\\x00\\n")
    "'rtsp://cam\\\\x00\\\\n'"
    >>> shown("x" * 1000).endswith("xx… (1000 characters)")
    True
    """
    quoted = text if text.isprintable() else repr(text)
    return quoted if len(quoted) <= limit else f"{quoted[:limit]}… ({len(text)} characters)"
