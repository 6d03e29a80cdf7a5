"""The fast path of `parse_email` accepts only what Django's validator accepts, and changes no outcome.

`email_plainly_valid` must be a strict subset of `django.core.validators.validate_email`: an
address it passes is never checked by Django, so one it wrongly passed would be imported.
"""
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from hypothesis import example, given, settings
from hypothesis import strategies as st

from applications import cells
from applications.cells import PLAIN_EMAIL_RE, CellInvalid, email_plainly_valid, parse_email
from tests.hypothesis_profiles import examples


def django_accepts(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


def outcome(value) -> tuple[bool, str]:
    try:
        return True, parse_email(value)
    except CellInvalid as exc:
        return False, str(exc)


def outcome_without_fast_path(value) -> tuple[bool, str]:
    with mock.patch.object(cells, "email_plainly_valid", return_value=False):
        return outcome(value)


# Pieces that sit on the edges of both patterns: dots, hyphens at label ends, punycode, one-letter and
# 63/64-letter labels, digits in the top-level domain, non-ASCII letters (the Kelvin sign and the
# dotless ı fold to ASCII under IGNORECASE), quotes, IP literals, spaces and line breaks.
PIECES = [
    "a", "Z", "0", "9", "x", "com", "tr", "c", "-", "_", "+", "'", "`", "{", "|", "~", "!", ".", "..", "@",
    "xn--", "xn--p1ai", "ü", "ı", "İ", "\u212a", "é", '"', "\\", "[", "]", "127.0.0.1", "::1", " ", "\n",
    "a" * 61, "a" * 62, "a" * 63, "a" * 64, "localhost",
]
pieces = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
addresses = st.one_of(
    pieces,
    st.tuples(pieces, pieces).map("@".join),
    st.tuples(pieces, pieces, pieces).map(lambda parts: f"{parts[0]}@{parts[1]}.{parts[2]}"),
    st.text(max_size=40),
)


@settings(max_examples=examples(400), deadline=None)
@given(text=st.from_regex(PLAIN_EMAIL_RE, fullmatch=True).filter(lambda text: len(text) <= 320))
def test_whatever_the_fast_pattern_can_produce_django_accepts(text):
    assert email_plainly_valid(text)
    assert django_accepts(text)


@settings(max_examples=examples(600), deadline=None)
@given(text=addresses)
@example(text="a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + "." + "e" * 63)  # 320 characters
@example(text="a" * 65 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + "." + "e" * 63)  # 321
def test_the_fast_pattern_passes_only_addresses_django_accepts(text):
    if email_plainly_valid(text):
        assert django_accepts(text), text


@settings(max_examples=examples(300), deadline=None)
@given(text=addresses)
def test_parse_email_gives_the_same_value_or_message_with_and_without_the_fast_path(text):
    assert outcome(text) == outcome_without_fast_path(text)


@pytest.mark.parametrize("text, plain, accepted", [
    ("12345@ogr.example.edu.tr", True, True),
    ("Ayse.Yilmaz+erasmus@Example.COM", True, True),
    ("o'neil@x.io", True, True),
    ("a@b-c.de", True, True),
    ("a@" + "b" * 63 + ".com", True, True),
    ("a@b." + "c" * 63, True, True),
    ("a@" + "b" * 64 + ".com", False, False),  # a label of 64
    ("a@b." + "c" * 64, False, False),  # a top-level domain of 64
    ("a..b@x.com", False, False),
    (".a@x.com", False, False),
    ("a.@x.com", False, False),
    ("a@-x.com", False, False),
    ("a@x-.com", False, False),
    ("a@x.-com", False, False),
    ("a@x..com", False, False),
    ("a@x.c", False, False),
    ("a@x.c0m", False, False),
    ("a@x.com.", False, False),
    ("a@x", False, False),
    ("a@b@x.com", False, False),
    ("a b@x.com", False, False),
    ("a@x.com\n", False, False),
    ("", False, False),
    # Accepted by Django, left to it by the fast pattern:
    ("a@localhost", False, True),
    ('"a..b"@x.com', False, True),
    ('"a b"@x.com', False, False),  # a space is not allowed even quoted
    ("a@[127.0.0.1]", False, True),
    ("a@xn--p1ai.xn--p1ai", False, True),
    ("a@b.xn--p1ai", False, True),
    ("a@x.co-m", False, True),
    ("ayşe@x.com", False, False),
    ("a@bölüm.edu.tr", False, True),
    ("\u212aemal@x.com", False, True),  # the Kelvin sign folds to k under Django's IGNORECASE
])
def test_tricky_addresses(text, plain, accepted):
    assert email_plainly_valid(text) is plain
    assert django_accepts(text) is accepted
    assert outcome(text) == outcome_without_fast_path(text)
