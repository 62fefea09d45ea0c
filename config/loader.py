"""Find, read and validate the branch configuration.

Where the file comes from, first match wins: the ``--config`` option, the
``FRONTDESK_CONFIG`` environment variable, ``branch.toml`` in the user config
directory (platformdirs), and last the embedded example branch shipped with the
package, so that ``make run`` works on a machine that has never been configured.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import platformdirs
from pydantic import ValidationError

from config.schema import BranchConfig
from kiosk.errors import ConfigError

DEFAULT_CONFIG_PATH = Path(__file__).with_name("branch.example.toml")
APP_NAME = "frontdesk"


def resolve_config_path(explicit: str | os.PathLike[str] | None) -> Path:
    if explicit:
        return Path(explicit)
    env = os.environ.get("FRONTDESK_CONFIG")
    if env:
        return Path(env)
    user = Path(platformdirs.user_config_dir(APP_NAME)) / "branch.toml"
    return user if user.exists() else DEFAULT_CONFIG_PATH


def _key_of(loc: tuple[int | str, ...]) -> str:
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key


def load_config(path: str | os.PathLike[str] | None = None) -> BranchConfig:
    """Load and validate a branch config; raise :class:`ConfigError` naming file and key."""
    file = resolve_config_path(path)
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8-sig"))  # a BOM (Notepad) is not TOML
    except FileNotFoundError:
        raise ConfigError(str(file), "(file)", "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(file), "(file)", f"cannot read it: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(file), "(syntax)", f"not valid TOML: {exc}") from None
    try:
        return BranchConfig.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        message = err["msg"].removeprefix("Value error, ")
        key = _key_of(err["loc"])
        if not key and ": " in message:  # cross-field rules name their key first
            key, message = message.split(": ", 1)
        more = f" (and {exc.error_count() - 1} more problem(s))" if exc.error_count() > 1 else ""
        raise ConfigError(str(file), key or "(top level)", message + more) from None
