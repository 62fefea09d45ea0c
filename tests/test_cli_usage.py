"""Click's usage errors, for every ``frontdesk`` command: one line naming the command, exit 2.

The commands are read from the Click tree the root app builds, so a command added later is
covered without a change here. Every run stops at parsing: nothing opens a database or a window.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator

import click
import pytest
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.cli import app
from tests.cli_run import run

NOT_A_NUMBER = "not-a-number"


def commands() -> list[tuple[list[str], click.Command]]:
    """Every group and command under ``frontdesk``, with the words that reach it."""
    code, _, _ = run("--help")  # registers every command and sub-app
    assert code == 0

    def walk(command: click.Command, path: list[str]) -> Iterator[tuple[list[str], click.Command]]:
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])

    return list(walk(typer.main.get_command(app), []))


COMMANDS = commands()
LEAVES = [(path, command) for path, command in COMMANDS if not hasattr(command, "commands")]


def kind(param) -> type:
    return param.type_descriptor.annotation


def assert_usage_line(code: int, out: str, err: str, path: list[str], what: str) -> None:
    """Exit 2, nothing on stdout, one line: ``frontdesk <path>: <what …> (see frontdesk <path> --help)``."""
    name = " ".join(["frontdesk", *path])
    assert code == 2, err
    assert out == "", out
    assert err.count("\n") == 1, err
    assert err.startswith(f"{name}: {what}"), err
    assert err.endswith(f" (see {name} --help)\n"), err
    assert "Traceback" not in err and "Usage:" not in err


def test_the_tree_holds_every_command():
    names = {" ".join(path) for path, _ in LEAVES}
    assert {"queue", "ticket new", "replay", "log import", "vision count", "devices sensor", "voice say"} <= names


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=lambda path: " ".join(path) or "frontdesk")
def test_an_unknown_option_is_one_line_naming_the_command(path):
    code, out, err = run(*path, "--no-such-option")
    assert_usage_line(code, out, err, path, "no such option: --no-such-option")


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=lambda path: " ".join(path) or "frontdesk")
def test_help_still_shows_the_usage(path):
    code, out, err = run(*path, "--help")
    assert code == 0, err
    assert "Usage: frontdesk" in out and err == ""


GROUPS = [path for path, command in COMMANDS if hasattr(command, "commands")]


@pytest.mark.parametrize("path", GROUPS, ids=lambda path: " ".join(path) or "frontdesk")
def test_a_group_given_no_command_shows_its_help_and_exits_2(path):
    code, out, err = run(*path)
    assert code == 2
    assert "Usage: frontdesk" in out and err == ""  # no blank line on stderr either


def test_an_unknown_command_is_one_line_naming_its_group():
    assert_usage_line(*run("no-such-command"), [], "no such command 'no-such-command'")
    assert_usage_line(*run("ticket", "no-such-command"), ["ticket"], "no such command 'no-such-command'")
    # an option the group does not have is the group's, not the command after it
    assert_usage_line(*run("vision", "--zone", "count"), ["vision"], "no such option: --zone")


REQUIRED = [(path, command) for path, command in LEAVES if any(p.required for p in command.params)]


@pytest.mark.parametrize("path", [path for path, _ in REQUIRED], ids=" ".join)
def test_a_missing_argument_or_option_is_one_line(path):
    assert_usage_line(*run(*path), path, "missing ")


def test_an_option_missing_its_value_names_the_command_not_its_group():
    # click attaches this one to the root's context
    assert_usage_line(*run("ticket", "new", "--service"), ["ticket", "new"], "option '--service' requires an argument")


def bad_values() -> Iterator[tuple[list[str], list[str]]]:
    """For every number or choice parameter: the words that give it a value it cannot take."""
    for path, command in LEAVES:
        before: list[str] = []  # the positional arguments ahead of this one, given a plain word
        for param in command.params:
            wanted = kind(param)
            bad = wanted in (int, float) or (isinstance(wanted, type) and issubclass(wanted, enum.Enum))
            if param.param_type_name == "argument":
                if bad:
                    yield path, [*before, NOT_A_NUMBER]
                before.append("A001")
            elif bad:
                yield path, [param.opts[0], NOT_A_NUMBER]


BAD_VALUES = list(bad_values())


def test_the_bad_values_reach_numbers_and_choices_of_options_and_arguments():
    given_words = {(" ".join(path), words[0]) for path, words in BAD_VALUES}
    assert {("call", "--counter"), ("rate", "A001"), ("devices simulate", NOT_A_NUMBER)} <= given_words
    assert ("devices print-test", "--lang") in given_words  # a choice


@pytest.mark.parametrize(("path", "words"), BAD_VALUES, ids=lambda x: " ".join(x))
def test_a_value_of_the_wrong_kind_is_one_line(path, words):
    assert_usage_line(*run(*path, *words), path, "invalid value for ")


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from([path for path, _ in COMMANDS]),
    st.text(min_size=0, max_size=3000),
)
def test_any_unknown_option_text_is_one_line(path, text):
    option = "--zz" + text  # no option of ours starts so; newlines, NULs, a huge word
    code, out, err = run(*path, option)
    assert code == 2 and out == "", err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert len(err) < 1000, err


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(BAD_VALUES), st.text(max_size=2000))
def test_any_text_for_a_number_or_a_choice_is_one_line(case, text):
    path, words = case
    code, out, err = run(*path, *words[:-1], NOT_A_NUMBER + text)
    assert code == 2 and out == "", err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert len(err) < 1000, err
