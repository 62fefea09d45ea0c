"""The manager's pages in a real Chromium: sign in with the form, today's figures follow a clerk's
work done in another process, the report embeds the report's own page with its charts, the
period form and the downloads work, sign-out ends it; screenshots in every language."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.web.conftest import ARTIFACTS, frontdesk_here, wait_for
from tests.web.manager_support import NAME, PIN, served_day, set_manager_pin
from tests.web.test_screens import LANGS, LAYOUT_JS, busy_day

PAGE_TEXTS = "header a, header span, header button, h1, h2, .tile .v, .tile .l, .waiting li span, .waiting li b, label"


def tiles(driver) -> dict[str, str]:
    return driver.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('.tile')]"
        ".map(t => [t.querySelector('.l').textContent, t.querySelector('.v').textContent]))"
    )


def page_text(driver, selector: str) -> str:
    """The text of the element matching ``selector`` now ('' while there is none)."""
    return driver.execute_script(f"const e = document.querySelector({selector!r}); return e ? e.textContent : ''")


def sign_in(driver, base: str, name: str = NAME, pin: str = PIN, lang: str = "en") -> None:
    driver.get(f"{base}/manager/sign-in?lang={lang}")
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "pin").send_keys(pin)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()


def test_sign_in_then_today_follows_the_clerks_live_then_sign_out(any_db, web_server, browser):
    set_manager_pin(any_db)
    server = web_server(any_db)
    driver = browser(1366, 900)
    driver.get(server.base + "/manager?lang=en")
    assert driver.current_url.endswith("/manager/sign-in")  # sent to sign in first
    sign_in(driver, server.base, pin="0000")
    # read in one script: the form's answer replaces the page, so an element found before it is stale
    wait_for(lambda: "Wrong name or PIN" in page_text(driver, ".message"), "the refusal")
    sign_in(driver, server.base)
    wait_for(lambda: driver.current_url.endswith("/manager"), "the live page")
    assert f"Signed in: {NAME}" in driver.find_element(By.TAG_NAME, "header").text
    assert tiles(driver)["Arrived"] == "0"
    # a clerk's work (here, in the test's process; the server is another) reaches the open page by itself
    first = frontdesk_here("ticket", "new", "--service", "CASH", "--lang", "en", db=any_db)
    frontdesk_here("ticket", "new", "--service", "LOANS", "--lang", "ru", db=any_db)
    wait_for(lambda: tiles(driver).get("Arrived") == "2", "the new tickets on the live page")
    waiting = driver.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('.waiting li')]"
        ".map(li => [li.querySelector('.svc').textContent, li.querySelector('b').textContent]))"
    )
    assert waiting["Cash and payments"] == "1" and waiting["Loans and advice"] == "1"
    frontdesk_here("call", "--counter", "1", "--ticket", first["ticket"], db=any_db)
    frontdesk_here("start", first["ticket"], db=any_db)
    frontdesk_here("finish", first["ticket"], db=any_db)
    wait_for(lambda: tiles(driver).get("Served") == "1", "the served ticket on the live page")
    assert driver.execute_script("return window.managerEvents") >= 2
    # sign out: back at the sign-in page, and the live page is closed to this browser
    driver.find_element(By.CSS_SELECTOR, ".who button").click()
    wait_for(lambda: driver.current_url.endswith("/manager/sign-in"), "the sign-in page after signing out")
    driver.get(server.base + "/manager")
    assert driver.current_url.endswith("/manager/sign-in")


def test_the_report_embeds_the_reports_own_page_and_exports(sqlite_db, web_server, browser):
    set_manager_pin(sqlite_db)
    busy_day(sqlite_db)
    server = web_server(sqlite_db)
    driver = browser(1366, 900)
    sign_in(driver, server.base)
    wait_for(lambda: driver.current_url.endswith("/manager"), "the live page")
    day = driver.execute_script("return document.querySelector('h1').textContent").split("· ")[-1].strip()
    driver.get(f"{server.base}/manager/report?period=day&date={day}")
    assert tiles(driver)["Arrived"] == "15"
    frame = driver.find_element(By.ID, "report")
    wait_for(lambda: frame.size["height"] > 700, "the report's frame sized to its page")
    driver.switch_to.frame(frame)
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("Speed of service")
    assert len(driver.find_elements(By.CSS_SELECTOR, "svg")) >= 2  # the charts
    assert "CASH" in driver.find_element(By.TAG_NAME, "body").text
    driver.switch_to.default_content()
    # the period form (a POST with the CSRF token) goes to that period's report
    driver.find_element(By.CSS_SELECTOR, "select[name=period] option[value=week]").click()
    driver.find_element(By.CSS_SELECTOR, "form.period button").click()
    wait_for(lambda: "period=week" in driver.current_url, "the week's report")
    assert tiles(driver)["Arrived"] == "15"
    # the downloads answer with the figures, in the browser's own session
    fetched = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "Promise.all([...document.querySelectorAll('.downloads a')].map(a => fetch(a.href)"
        ".then(r => r.text().then(t => [r.status, r.headers.get('content-type'), t.slice(0, 40)]))))"
        ".then(done);"
    )
    assert [f[0] for f in fetched] == [200, 200, 200]
    assert fetched[0][1].startswith("text/csv") and fetched[0][2].startswith("table,group,arrived")
    assert fetched[1][1].startswith("text/csv") and fetched[1][2].startswith("ticket,service,priority")
    assert fetched[2][1] == "application/json"


@pytest.mark.parametrize("lang", LANGS)
def test_manager_pages_in_every_language(sqlite_db, web_server, browser, lang):
    set_manager_pin(sqlite_db)
    served_day(sqlite_db)
    server = web_server(sqlite_db)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver = browser(1366, 900)
    driver.get(f"{server.base}/manager/sign-in?lang={lang}")
    assert driver.execute_script("return document.documentElement.lang") == lang
    driver.save_screenshot(str(ARTIFACTS / f"manager-{lang}-sign-in.png"))
    assert driver.execute_script(LAYOUT_JS, PAGE_TEXTS) == [], f"sign-in {lang}"
    sign_in(driver, server.base, lang=lang)
    wait_for(lambda: driver.current_url.endswith("/manager"), "the live page")
    assert driver.execute_script("return document.documentElement.lang") == lang
    wait_for(lambda: driver.execute_script("return window.managerEvents") >= 1, "the live figures")
    driver.save_screenshot(str(ARTIFACTS / f"manager-{lang}-today.png"))
    assert driver.execute_script(LAYOUT_JS, PAGE_TEXTS) == [], f"today {lang}"
    driver.find_element(By.CSS_SELECTOR, "nav a[href='/manager/report']").click()
    wait_for(lambda: driver.find_elements(By.ID, "report"), "the report page")
    wait_for(lambda: driver.find_element(By.ID, "report").size["height"] > 700, "the report's frame")
    driver.save_screenshot(str(ARTIFACTS / f"manager-{lang}-report.png"))
    assert driver.execute_script(LAYOUT_JS, "header a, header span, h1, .tile .v, .tile .l") == [], f"report {lang}"
