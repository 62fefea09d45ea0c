"""Screenshots of the board (1920x1080, 1280x720) and the phone page (390x844) in every language,
kept in ``test-artifacts/web/`` (git-ignored), and a layout check of each as drawn by Chromium:
every text element inside the viewport, none overlapping another, none clipped (its content
wider or taller than its box).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from config.loader import DEFAULT_CONFIG_PATH
from tests.web.conftest import ARTIFACTS, frontdesk_here, wait_for

LANGS = ("mn", "hy", "en", "ru")
BOARD_SIZES = ((1920, 1080), (1280, 720))

# what the layout check measures, in the page: boxes of the texts a person reads
LAYOUT_JS = """
const vw = window.innerWidth, vh = window.innerHeight;
const problems = [];
const texts = [...document.querySelectorAll(arguments[0])].filter(e => {
  const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && e.textContent.trim();
});
const boxes = texts.map(e => [e, e.getBoundingClientRect()]);
for (const [e, r] of boxes) {
  const name = (e.id || e.className || e.tagName) + " '" + e.textContent.trim().slice(0, 40) + "'";
  if (r.left < -0.5 || r.top < -0.5 || r.right > vw + 0.5 || r.bottom > vh + 0.5)
    problems.push(name + " is outside the viewport");
  if (e.scrollWidth > e.clientWidth + 1) problems.push(name + " is cut (too wide)");
  for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
    if (getComputedStyle(p).overflow === "visible") continue;
    const c = p.getBoundingClientRect();  // the nearest box that clips it
    if (r.left < c.left - 0.5 || r.right > c.right + 0.5 || r.top < c.top - 0.5 || r.bottom > c.bottom + 0.5)
      problems.push(name + " sticks out of " + (p.id || p.className || p.tagName));
    break;
  }
  if (e.scrollHeight > e.clientHeight + 1) problems.push(name + " is cut (too tall)");
}
for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
  const [a, ra] = boxes[i], [b, rb] = boxes[j];
  if (a.contains(b) || b.contains(a)) continue;
  const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
  const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
  if (w > 1 && h > 1) problems.push((a.id || a.className) + " overlaps " + (b.id || b.className));
}
return problems;
"""
BOARD_TEXTS = (
    "header > div, h1, h2, #current li, #current li span, #recent li, #recent li span, #nobody, .svc .name, .svc span"
)
PHONE_TEXTS = "main p"


def branch_file(tmp_path: Path, lang: str) -> Path:
    """The example branch with ``lang`` as its default language (the board's labels)."""
    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
    path = tmp_path / f"branch-{lang}.toml"
    path.write_text(text.replace('default_language = "mn"', f'default_language = "{lang}"'), encoding="utf-8")
    return path


def busy_day(db: str) -> list[dict]:
    """A queue worth looking at: calls in every language, a recall, people waiting for every service.

    Set up in this process (what is tested is the pages, not the clerks' commands).
    """
    from config import load_config
    from kiosk.core.model import Action
    from kiosk.engine import Engine
    from kiosk.store import open_store

    engine = Engine(load_config(None), open_store(db))
    issued = []
    for i, service in enumerate(["CASH"] * 6 + ["ACCOUNTS"] * 4 + ["LOANS"] * 3 + ["COMPLAINT"] * 2):
        t = engine.issue(service, language=LANGS[i % 4])
        issued.append({"ticket": t.ticket.number, "service": service})
    first = [engine.call_next(counter) for counter in (1, 2, 3, 4)]
    engine.act(first[0].ticket.number, Action.START)
    engine.call_next(1)
    engine.act(first[1].ticket.number, Action.RECALL)
    engine.store.close()
    return issued


@pytest.fixture
def busy_db(sqlite_db) -> tuple[str, list[dict]]:
    return sqlite_db, busy_day(sqlite_db)


@pytest.mark.parametrize("lang", LANGS)
def test_board_in_every_language_fits_both_tv_sizes(busy_db, web_server, browser, tmp_path, lang):
    db, _ = busy_db
    server = web_server(db, config=branch_file(tmp_path, lang))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width, height in BOARD_SIZES:
        driver = browser(width, height)
        driver.get(server.base + "/board")
        wait_for(
            lambda d=driver: d.execute_script("return document.querySelectorAll('#current li').length") >= 3,
            "the calls on the board",
        )
        assert driver.execute_script("return document.documentElement.lang") == lang
        driver.execute_script("document.querySelectorAll('.flash').forEach(e => e.classList.remove('flash'))")
        driver.save_screenshot(str(ARTIFACTS / f"board-{lang}-{width}x{height}.png"))
        assert driver.execute_script(LAYOUT_JS, BOARD_TEXTS) == [], f"board {lang} {width}x{height}"
        # readable from 8 m: a current call's number is at least 11 % of the screen's height
        size = driver.execute_script(
            "return parseFloat(getComputedStyle(document.querySelector('#current li')).fontSize)"
        )
        assert size >= 0.11 * height


@pytest.mark.parametrize("lang", LANGS)
def test_phone_page_in_every_language_fits_a_phone(busy_db, web_server, browser, lang):
    db, _ = busy_db
    server = web_server(db)
    mine = frontdesk_here("ticket", "new", "--service", "CASH", "--lang", lang, db=db)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver = browser(390, 844)
    driver.get(server.base + mine["status_path"])
    assert driver.execute_script("return document.documentElement.lang") == lang
    driver.save_screenshot(str(ARTIFACTS / f"phone-{lang}-waiting-390x844.png"))
    assert driver.execute_script(LAYOUT_JS, PHONE_TEXTS) == [], f"phone {lang} waiting"
    frontdesk_here("call", "--counter", "3", "--ticket", mine["ticket"], db=db)
    wait_for(lambda: driver.execute_script("return document.body.className") == "called", "the call on the phone")
    driver.save_screenshot(str(ARTIFACTS / f"phone-{lang}-called-390x844.png"))
    assert driver.execute_script(LAYOUT_JS, PHONE_TEXTS) == [], f"phone {lang} called"
