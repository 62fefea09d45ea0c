"""Device faults a user can act on (the CLI prints the message and exits with code 5)."""

from kiosk.errors import FrontdeskError


class DeviceError(FrontdeskError):
    """A port that cannot be opened, a device that does not answer, a printer out of paper."""

    exit_code = 5
