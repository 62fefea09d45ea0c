"""Branch configuration: one TOML file, one pydantic schema, validated at start.

>>> from config import load_config
>>> cfg = load_config(None)          # the embedded example branch
>>> cfg.service("CASH").prefix
'A'
"""

from config.loader import DEFAULT_CONFIG_PATH, load_config, resolve_config_path
from config.schema import (
    BranchConfig,
    CameraConfig,
    CounterConfig,
    DevicesConfig,
    PriorityConfig,
    ServiceConfig,
    StandardsConfig,
)

__all__ = [
    "DEFAULT_CONFIG_PATH",
    "BranchConfig",
    "CameraConfig",
    "CounterConfig",
    "DevicesConfig",
    "PriorityConfig",
    "ServiceConfig",
    "StandardsConfig",
    "load_config",
    "resolve_config_path",
]
