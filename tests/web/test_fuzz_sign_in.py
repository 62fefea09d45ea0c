"""The manager's PIN form fuzzed with hypothesis, on the real app (``create_app``) in this process.

Whatever is posted to ``/manager/sign-in`` (any text or bytes in the fields, a huge value, fields
missing or repeated, an upload, a body of another content type or that no parser reads, a cookie
that is not ours) the answer is a 4xx with a form error, never a 5xx, and nothing recorded
changes: the manager's PIN row (hash, salt, the count of wrong tries, the lock) is as it was and
nobody is signed in. The names tried are never the manager's: a wrong PIN for a real name is a
try that counts, on purpose (``test_manager_http.py``). On SQLite and PostgreSQL.

The requests go through Starlette's TestClient to the app itself (routes, session middleware,
the PIN check on the database); its lifespan (the change feed and the voices) is not started:
the sign-in does not use it.
"""

from __future__ import annotations

import re
import string
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config import load_config
from kiosk.errors import UsageError
from kiosk.store.pins import PinStore
from kiosk.web.app import create_app
from kiosk.web.manager import MAX_FORM_BYTES
from tests.web.manager_support import CSRF, NAME, PIN, set_manager_pin

with warnings.catch_warnings():  # Starlette would have its client on httpx2, which is not installed
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

SIGN_IN = "/manager/sign-in"
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FORM_ERRORS = {400, 401, 403, 413}  # unreadable, wrong name or PIN, no or a wrong CSRF token, too large
CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=latin-1",
    "multipart/form-data; boundary=frontdesk",
    "multipart/form-data",
    "application/json",
    "text/plain; charset=utf-16",
    "application/octet-stream",
    "",
]


class SignIn:
    """The app over a database holding the manager's PIN, and what it has recorded."""

    def __init__(self, db: str) -> None:
        from kiosk.store import open_store

        set_manager_pin(db)
        self.app = create_app(load_config(None), db)
        self.store = open_store(db)
        self.pin_rows = self.recorded()

    def recorded(self) -> list[tuple]:
        with self.store.transaction(lock=False):
            return [tuple(row) for row in self.store.all("SELECT * FROM staff_pin ORDER BY role, name")]

    def client(self, cookies: dict[str, str] | None = None) -> TestClient:
        return TestClient(self.app, raise_server_exceptions=False, follow_redirects=False, cookies=cookies)

    def token(self, client: TestClient) -> str:
        page = client.get(f"{SIGN_IN}?lang=en")
        assert page.status_code == 200
        found = CSRF.search(page.text)
        assert found
        return found.group(1)

    def assert_nothing_changed(self, client: TestClient) -> None:
        assert self.recorded() == self.pin_rows
        assert client.get("/manager").status_code == 303  # not signed in
        assert self.app.state.manager.sessions.signed_out == {}


@pytest.fixture
def sign_in(db_url):
    sign_in = SignIn(db_url)
    yield sign_in
    sign_in.store.close()


def assert_form_error(answer) -> None:
    assert answer.status_code in FORM_ERRORS, (answer.status_code, answer.text[:300])
    assert answer.text.strip(), "a refusal says why"
    if answer.status_code in (401, 403):  # the form again, with its message
        assert f'action="{SIGN_IN}"' in answer.text
        assert re.search(r'<p class="message" role="alert">[^<]+</p>', answer.text), answer.text[:300]


def not_the_manager(name: str) -> bool:
    return name.strip() != NAME


FIELD = st.one_of(
    st.text(max_size=200),
    st.text(max_size=200).map(lambda s: s + "\x00"),
    st.text(alphabet="0123456789", min_size=1, max_size=3000),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
)


@FUZZ
@given(
    name=st.one_of(st.none(), FIELD.filter(not_the_manager)),
    pin=st.one_of(st.none(), FIELD, st.just(PIN)),
    csrf=st.sampled_from(["right", "wrong", "missing"]),
    extra=st.dictionaries(st.text(min_size=1, max_size=20), FIELD, max_size=10),
)
def test_any_form_fields_are_refused_with_a_form_error(sign_in, name, pin, csrf, extra):
    client = sign_in.client()
    token = sign_in.token(client)
    form = {key: value for key, value in extra.items() if key not in ("name", "pin", "csrf")}
    if name is not None:
        form["name"] = name
    if pin is not None:
        form["pin"] = pin
    if csrf != "missing":
        form["csrf"] = token if csrf == "right" else token[::-1]
    answer = client.post(SIGN_IN, data=form)
    assert_form_error(answer)
    size = sum(len(k.encode()) + len(v.encode()) for k, v in form.items())
    if size > 2 * MAX_FORM_BYTES:
        assert answer.status_code in (400, 413)  # refused before any PIN is checked
    sign_in.assert_nothing_changed(client)


@FUZZ
@given(
    content_type=st.sampled_from(CONTENT_TYPES),
    body=st.binary(max_size=2 * MAX_FORM_BYTES),
    with_token=st.booleans(),
)
def test_any_body_of_any_content_type_is_refused_with_a_form_error(sign_in, content_type, body, with_token):
    client = sign_in.client()
    token = sign_in.token(client)
    if with_token:  # the body gets past the CSRF check when a parser reads it as a form
        body = b"csrf=" + token.encode() + b"&name=" + body
    headers = {"content-type": content_type} if content_type else {}
    answer = client.post(SIGN_IN, content=body, headers=headers)
    assert_form_error(answer)
    sign_in.assert_nothing_changed(client)


def test_a_name_holding_a_nul_is_an_unknown_name_not_a_database_fault(sign_in):
    # PostgreSQL's text holds no NUL: the name was sent to the database, which refused it, and the
    # form said "the database cannot be reached" (503) and dropped the connection
    client = sign_in.client()
    token = sign_in.token(client)
    unknown = client.post(SIGN_IN, data={"name": "Nobody", "pin": PIN, "csrf": token})
    with_nul = client.post(SIGN_IN, data={"name": NAME + "\0", "pin": PIN, "csrf": token})
    assert (with_nul.status_code, with_nul.text) == (unknown.status_code, unknown.text) == (401, unknown.text)
    sign_in.assert_nothing_changed(client)
    with pytest.raises(UsageError, match="NUL"):
        PinStore(sign_in.store).set_pin("manager", "Oy\0un", PIN)
    assert sign_in.recorded() == sign_in.pin_rows


def test_an_upload_too_many_fields_and_a_body_no_parser_reads_are_400(sign_in):
    client = sign_in.client()
    token = sign_in.token(client)
    upload = client.post(SIGN_IN, data={"csrf": token}, files={"pin": ("pin.txt", PIN.encode())})
    many = client.post(SIGN_IN, data={"csrf": token, **{f"f{i}": "1" for i in range(20)}})
    broken = client.post(SIGN_IN, content=b"no parts", headers={"content-type": "multipart/form-data; boundary=x"})
    assert [upload.status_code, many.status_code, broken.status_code] == [400, 400, 400]
    sign_in.assert_nothing_changed(client)


@FUZZ
@given(
    cookie=st.text(alphabet=string.ascii_letters + string.digits + "._-=+/", max_size=500), lang=st.text(max_size=100)
)
def test_a_cookie_that_is_not_ours_and_any_language_show_the_form(sign_in, cookie, lang):
    client = sign_in.client(cookies={"frontdesk_manager": cookie})
    page = client.get(SIGN_IN, params={"lang": lang})
    assert page.status_code == 200 and f'action="{SIGN_IN}"' in page.text
    sign_in.assert_nothing_changed(client)
