"""The schema of a branch's configuration file (``branch.toml``).

Unknown keys are errors, not silently ignored: a typo in a target must not
quietly fall back to a default. Cross-field rules (unique prefixes, counters
that exist, names in every language) are checked here so that the engine can
trust the config it is given.
"""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from device.ports import check_baudrate, check_port
from kiosk.errors import UsageError
from vision.sources import parse_source

LANGUAGES = ("mn", "hy", "en", "ru")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_HOURS = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-4]):([0-5][0-9])$")
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class OpeningHours(_Strict):
    """When the branch is open, per weekday: ``"09:00-18:00"`` or ``"closed"`` (a day left out is closed).

    At the closing time every ticket still open is closed with the day (kiosk.core.closing);
    a closed day's tickets, if any, close at midnight.

    >>> OpeningHours(mon="09:00-18:00").closing_time(0), OpeningHours(mon="09:00-24:00").closing_time(0)
    (datetime.time(18, 0), None)
    """

    mon: str = "closed"
    tue: str = "closed"
    wed: str = "closed"
    thu: str = "closed"
    fri: str = "closed"
    sat: str = "closed"
    sun: str = "closed"

    @field_validator(*WEEKDAY_KEYS)
    @classmethod
    def _hours(cls, value: str) -> str:
        value = value.strip()
        if value == "closed":
            return value
        found = _HOURS.match(value)
        if found is None:
            raise ValueError(f'{value!r} is not opening hours like "09:00-18:00" or "closed"')
        opens, closes = found.group(1, 2), found.group(3, 4)
        if closes[0] == "24" and closes[1] != "00":
            raise ValueError(f"{value!r}: a day ends at 24:00")
        if opens >= closes:
            raise ValueError(f"{value!r}: the branch must open before it closes")
        return value

    def closing_time(self, weekday: int) -> time | None:
        """When the branch closes on ``weekday`` (0 = Monday); None: at midnight, or closed all day."""
        value: str = getattr(self, WEEKDAY_KEYS[weekday])
        if value == "closed" or value.endswith("-24:00"):
            return None
        hour, minute = value.split("-")[1].split(":")
        return time(int(hour), int(minute))


class BranchInfo(_Strict):
    name: str = Field(min_length=1)
    timezone: str = "Asia/Ulaanbaatar"
    languages: list[Literal["mn", "hy", "en", "ru"]] = Field(default_factory=lambda: list(LANGUAGES), min_length=1)  # type: ignore[arg-type]
    default_language: Literal["mn", "hy", "en", "ru"] = "mn"
    opening_hours: OpeningHours | None = Field(
        None, description="per weekday; None: every day closes at midnight (kiosk.core.closing)"
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as 'Asia/Ulaanbaatar')") from None
        return value

    @model_validator(mode="after")
    def _default_is_offered(self) -> "BranchInfo":
        if self.default_language not in self.languages:
            raise ValueError(f"default_language {self.default_language!r} is not in languages {self.languages}")
        if len(set(self.languages)) != len(self.languages):
            raise ValueError("languages lists a language twice")
        return self


class ServiceConfig(_Strict):
    """One service the branch offers, with its speed-of-service standard."""

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]{0,15}$")
    prefix: str = Field(pattern=r"^[A-Z]$")
    names: dict[str, str]
    target_wait_s: int = Field(gt=0, description="longest acceptable wait before being called")
    target_service_s: int = Field(gt=0, description="longest acceptable service time")
    counters: list[int] = Field(min_length=1)
    apology: bool = Field(False, description="a complaint: the kiosk apologises first")


class CounterConfig(_Strict):
    number: int = Field(ge=1)
    name: str = ""
    senior: bool = False
    prefer: list[str] = Field(
        default_factory=list, description="services this counter calls first when any are waiting"
    )


class PriorityConfig(_Strict):
    """Special care: who may ask for it and how much it moves them ahead."""

    rule: Literal["strict", "head_start"] = "head_start"
    head_start_min: float = Field(10.0, ge=0)
    categories: list[str] = Field(default_factory=lambda: ["elderly", "disabled", "pregnant", "infant"])


class StandardsConfig(_Strict):
    """Branch-wide thresholds of the speed-of-service standard."""

    warning_fraction: float = Field(0.8, gt=0, lt=1)
    queue_warning_length: int = Field(8, ge=1)
    queue_breach_length: int = Field(12, ge=1)
    untracked_people_margin: int = Field(
        2, ge=0, description="camera count above tickets waiting tolerated before alerting"
    )
    idle_while_waiting_s: int = Field(
        300,
        gt=0,
        description="longest a signed-in clerk may go without serving (and not on a break) while someone"
        " waits for a service their counter serves",
    )

    @model_validator(mode="after")
    def _ordered(self) -> "StandardsConfig":
        if self.queue_warning_length > self.queue_breach_length:
            raise ValueError("queue_warning_length is above queue_breach_length")
        return self


# the reasons a console offers for a break; each has its words in every catalog (kiosk.ui.wording)
BreakReason = Literal["lunch", "short_break", "meeting", "training", "personal"]


def _default_break_reasons() -> list[BreakReason]:
    return ["lunch", "short_break", "meeting"]


class StaffConfig(_Strict):
    """The clerks' consoles: the reasons offered for a break, one tap each, in this order."""

    break_reasons: list[BreakReason] = Field(default_factory=_default_break_reasons, min_length=1, max_length=6)

    @field_validator("break_reasons")
    @classmethod
    def _each_once(cls, reasons: list[BreakReason]) -> list[BreakReason]:
        if len(set(reasons)) != len(reasons):
            raise ValueError("a break reason is listed twice")
        return reasons


class CameraConfig(_Strict):
    """The counting camera. Off unless switched on: then nothing opens a camera."""

    enabled: bool = False
    source: str = "0"
    zone: list[tuple[float, float]] = Field(default_factory=lambda: [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)])
    desk_zone: list[tuple[float, float]] | None = None
    publish_every_s: float = Field(1.0, gt=0)

    @field_validator("source")
    @classmethod
    def _names_a_source(cls, source: str) -> str:
        """Text that can name no camera, stream or file (the camera's own rules); whether it is there is
        found when it opens."""
        try:
            parse_source(source)
        except UsageError as err:
            raise ValueError(str(err)) from None
        return source

    @field_validator("zone", "desk_zone")
    @classmethod
    def _normalised_polygon(cls, poly: list[list[float]] | None) -> list[list[float]] | None:
        if poly is None:
            return poly
        if len(poly) < 3:
            raise ValueError("a zone needs at least three corners")
        for x, y in poly:
            if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
                raise ValueError(f"corner ({x}, {y}) is outside 0..1 (zones are in normalised coordinates)")
        return poly


class SerialDevice(_Strict):
    port: str = Field(min_length=1, description="a pyserial URL: /dev/ttyUSB0, socket://…, hwgrep://…")
    baudrate: int | None = None

    @field_validator("port")
    @classmethod
    def _names_a_port(cls, port: str) -> str:
        return check_port(port)  # the devices' own rules; whether the device is there is found when it opens

    @field_validator("baudrate")
    @classmethod
    def _a_line_speed(cls, baudrate: int | None) -> int | None:
        return baudrate if baudrate is None else check_baudrate(baudrate)


class PrinterDevice(SerialDevice):
    flow: Literal["xonxoff", "rtscts", "none"] = "xonxoff"
    profile: str = Field("TM-T20II", description="python-escpos printer profile (80 mm, 576 dots by default)")
    pad_rasters: bool = Field(False, description="centre images by padding, for clones that ignore ESC a")


class SensorDevice(SerialDevice):
    max_distance_cm: int | None = Field(None, gt=0, description="ignore people farther than this")


class LightDevice(SerialDevice):
    model: Literal["lcus", "adafruit"] = "lcus"
    console: int | None = Field(
        None, ge=1, description="the counter whose staff console drives the light (default: the senior counter)"
    )


class DevicesConfig(_Strict):
    printer: PrinterDevice | None = None
    sensor: SensorDevice | None = None
    light: LightDevice | None = None


class KioskConfig(_Strict):
    idle_return_s: float = Field(12.0, gt=0)
    feedback_on: Literal["kiosk", "counter"] = "kiosk"
    fullscreen: bool = True


class WebConfig(_Strict):
    """``frontdesk web``: the hall board (/board) and the customers' phone pages (/t/<token>)."""

    host: str = Field("127.0.0.1", min_length=1, description="address to listen on (0.0.0.0: the branch network)")
    port: int = Field(8080, ge=1, le=65535)
    public_url: str = Field(
        "",
        pattern=r"^(https?://[^\s/]+(/[^\s]*)?)?$",
        description="the server's address on the branch Wi-Fi, e.g. http://192.168.1.20:8080; empty: no QR code",
    )
    recent_calls: int = Field(6, ge=1, le=20, description="calls the board lists besides the current ones")
    labels: Literal["default", "rotate"] = Field(
        "default", description="the board's fixed labels: in the default language, or each language in turn"
    )
    rotate_s: float = Field(8.0, ge=2, description="seconds each language's labels show when rotating")
    manager_session_min: int = Field(
        60, ge=5, le=720, description="a manager's sign-in on /manager lasts this long (minutes), then ends"
    )
    secure_cookie: bool = Field(False, description="mark the manager's session cookie Secure (the server behind HTTPS)")


class DatabaseConfig(_Strict):
    url: str = Field("", description="empty: a SQLite file in the user data directory")


Language = Literal["mn", "hy", "en", "ru"]


class VoiceConfig(_Strict):
    """Spoken call-outs on the hall board: a chime, the call in the ticket's language, then the branch's."""

    enabled: bool = Field(True, description="false: every call plays the chime only")
    volume: float = Field(0.8, ge=0, le=1, description="scales the whole call, chime included")
    packs: dict[Language, str] = Field(
        default_factory=dict, description="a recorded voice pack per language (a folder); used before espeak-ng"
    )
    espeak_voices: dict[Language, str] = Field(
        default_factory=dict, description="espeak-ng voice per language, instead of en-gb, ru, hy"
    )
    speed_wpm: int = Field(150, ge=80, le=400, description="espeak-ng speaking rate, words per minute")

    @field_validator("packs")
    @classmethod
    def _absolute_folders(cls, packs: dict[Language, str]) -> dict[Language, str]:
        for lang, folder in packs.items():
            if not Path(folder).expanduser().is_absolute():
                raise ValueError(f"{lang}: {folder!r} is not an absolute path (the kiosk may start in any folder)")
        return {lang: str(Path(folder).expanduser()) for lang, folder in packs.items()}


class BranchConfig(_Strict):
    branch: BranchInfo
    services: list[ServiceConfig] = Field(min_length=1)
    counters: list[CounterConfig] = Field(min_length=1)
    priority: PriorityConfig = PriorityConfig()
    standards: StandardsConfig = StandardsConfig()
    staff: StaffConfig = StaffConfig()
    camera: CameraConfig = CameraConfig()
    devices: DevicesConfig = DevicesConfig()
    kiosk: KioskConfig = KioskConfig()
    web: WebConfig = WebConfig()
    database: DatabaseConfig = DatabaseConfig()
    voice: VoiceConfig = VoiceConfig()

    @model_validator(mode="after")
    def _consistent(self) -> "BranchConfig":  # noqa: C901 (to be split)
        numbers = [c.number for c in self.counters]
        if len(set(numbers)) != len(numbers):
            raise ValueError("counters: a counter number appears twice")
        for field in ("code", "prefix"):
            values = [getattr(s, field) for s in self.services]
            dup = {v for v in values if values.count(v) > 1}
            if dup:
                raise ValueError(f"services: {field} {sorted(dup)[0]!r} is used by two services")
        for i, svc in enumerate(self.services):
            for n in svc.counters:
                if n not in numbers:
                    raise ValueError(f"services[{i}].counters: counter {n} is not declared under [[counters]]")
            missing = [lang for lang in self.branch.languages if not svc.names.get(lang, "").strip()]
            if missing:
                raise ValueError(f"services[{i}].names: no name in {', '.join(missing)}")
        light = self.devices.light
        if light is not None and light.console is not None and light.console not in numbers:
            raise ValueError(f"devices.light.console: counter {light.console} is not declared under [[counters]]")
        codes = {s.code for s in self.services}
        for i, counter in enumerate(self.counters):
            for code in counter.prefer:
                if code not in codes:
                    raise ValueError(f"counters[{i}].prefer: unknown service {code!r}")
                if counter.number not in self.service(code).counters:
                    raise ValueError(f"counters[{i}].prefer: counter {counter.number} does not serve {code}")
        return self

    def service(self, code: str) -> ServiceConfig:
        """The service with this code; KeyError if the branch has none."""
        for svc in self.services:
            if svc.code == code:
                return svc
        raise KeyError(code)

    def services_of_counter(self, number: int) -> frozenset[str]:
        return frozenset(s.code for s in self.services if number in s.counters)

    def light_console(self) -> int | None:
        """The counter whose console drives the alert light, or None without a light."""
        light = self.devices.light
        if light is None:
            return None
        if light.console is not None:
            return light.console
        senior = [c.number for c in self.counters if c.senior]
        return (senior or [c.number for c in self.counters])[0]

    def counter(self, number: int) -> CounterConfig:
        return next(c for c in self.counters if c.number == number)
