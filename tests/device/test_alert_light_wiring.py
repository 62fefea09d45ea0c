"""The engine's alerts reach the staff light built the way `frontdesk staff` builds it."""

from config import load_config
from config.schema import BranchConfig
from device.lightcodec import Mode
from device.sim.light import LightSimulator
from device.sim.pty import PtyWire
from kiosk.cli_ui import alert_light
from kiosk.engine import Engine
from kiosk.store import open_store
from tests.conftest import Clock


def with_light(port: str, **extra) -> BranchConfig:
    raw = load_config(None).model_dump()
    raw["devices"]["light"] = {"port": port, "model": "lcus", **extra}
    return BranchConfig.model_validate(raw)


def test_the_senior_counter_drives_the_light_unless_another_is_named():
    assert load_config(None).light_console() is None
    assert with_light("/dev/null").light_console() == 4
    assert with_light("/dev/null", console=2).light_console() == 2


def test_a_breach_lights_red_with_the_buzzer_and_clears_to_green(tmp_path):
    tower = LightSimulator("lcus")
    wire = PtyWire(tower, "light").start()
    cfg = with_light(wire.path)
    clock = Clock()
    engine = Engine(cfg, open_store(str(tmp_path / "light.sqlite3")), clock=clock)
    light = alert_light(cfg)
    try:
        engine.issue("CASH")
        clock.advance(700)  # past the 600 s target wait
        light.show(engine.tick().level)
        assert tower.wait_for(lambda lamps: lamps.red is Mode.ON and lamps.buzzer is Mode.ON, 30)
        engine.call_next(counter=1)
        light.show(engine.tick().level)
        assert tower.wait_for(lambda lamps: lamps.green is Mode.ON and lamps.red is Mode.OFF, 30)
    finally:
        light.stop()
        wire.stop()
