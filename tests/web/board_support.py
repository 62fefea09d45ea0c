"""Helpers of the hall board's tests: what the open board shows and what it played."""

from __future__ import annotations

from tests.web.conftest import wait_for


def current_calls(driver) -> list[str]:
    return driver.execute_script("return [...document.querySelectorAll('#current li')].map(li => li.textContent)")


def recent_calls(driver) -> list[str]:
    return driver.execute_script("return [...document.querySelectorAll('#recent li')].map(li => li.textContent)")


def sounds(driver) -> list[dict]:
    return driver.execute_script("return window.boardSounds")


def open_board(browser, server, size=(1920, 1080)):
    driver = browser(*size)
    driver.get(server.base + "/board")
    wait_for(
        lambda: driver.execute_script("return document.getElementById('services').children.length"),
        "the board's first state",
    )
    return driver
