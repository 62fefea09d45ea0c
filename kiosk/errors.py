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
