"""WTForms' own messages next to a field, in the page's language: ours in Czech (WTForms' Czech
says "mezi 1 and 8"), WTForms' in English; in Flask-Admin's forms and in Flask-WTF's alike."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.helpers import csrf_token, field_errors

CZECH, ENGLISH = {"Accept-Language": "cs"}, {"Accept-Language": "en"}


def login_errors(html: str, name: str) -> list[str]:
    """The messages under the login page's input `name`."""
    group = next(group for group in html.split('<div class="form-group')[1:] if f'id="{name}"' in group)
    return [unescape(message.strip()) for message in re.findall(r'class="invalid-feedback">(.*?)</div>', group, re.S)]


@pytest.mark.parametrize(
    "headers,message", [(CZECH, "Zadejte číslo od 1 do 8."), (ENGLISH, "Number must be between 1 and 8.")]
)
def test_a_switchboard_position_out_of_range_is_told_in_the_pages_language(admin, make_socket, headers, message):
    building = make_socket("R1-1").building
    html = admin.post(
        "/admin/switchboard/new/",
        headers=headers,
        data={"csrf_token": csrf_token(admin, "/admin/"), "building": building, "name": "R9", "position": "9"},
    ).get_data(as_text=True)
    assert field_errors(html, "position") == [message]


@pytest.mark.parametrize(
    "headers,message", [(CZECH, "Nejvýše 64 znaků."), (ENGLISH, "Field cannot be longer than 64 characters.")]
)
def test_a_code_list_name_too_long_is_told_with_the_right_plural(admin, headers, message):
    html = admin.post(
        "/admin/location/new/",
        headers=headers,
        data={"csrf_token": csrf_token(admin, "/admin/"), "name": "x" * 65},
    ).get_data(as_text=True)
    assert field_errors(html, "name") == [message]
    assert 'value="' + "x" * 65 + '"' in html


@pytest.mark.parametrize("headers,message", [(CZECH, "Vyplňte toto pole."), (ENGLISH, "This field is required.")])
def test_a_login_without_a_password_is_told_in_the_pages_language(client, headers, message):
    html = client.post(
        "/login", headers=headers, data={"csrf_token": csrf_token(client), "username": "staff", "password": ""}
    ).get_data(as_text=True)
    assert login_errors(html, "password") == [message]
    assert login_errors(html, "username") == []
