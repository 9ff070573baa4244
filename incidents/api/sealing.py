"""Opaque tokens: what the API hands a caller to send back, sealed so it says nothing.

A list's ``next`` cursor holds the sort values of a row, its primary key
included; the change feed's cursor is a position in the feed of everyone's
changes. Read in the clear, either tells a caller about records it may not see:
the gaps between primary keys count hidden records, and a feed position that
moves while nothing visible changed shows hidden activity. So both are sealed
with AES-SIV (``cryptography``): encrypted and authenticated, so unreadable and
unforgeable without the server's ``SECRET_KEY``.

A list cursor is sealed deterministically: the same row in the same order always
gives the same link, so a page's body (and anything cached from it) is the same
every time it is asked for, and equal cursors tell a caller only what it already
sees. A feed cursor is sealed afresh every time (with a random nonce): the same
position never gives the same token twice, so a caller polling the feed cannot
tell from its cursor whether anyone else wrote meanwhile.

Each purpose has its own key (derived from ``SECRET_KEY``), so a token made for one
purpose is refused by another. Changing ``SECRET_KEY`` invalidates the tokens in
circulation: they are refused with a 400, and callers start again.
"""

import base64
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from django.utils.crypto import salted_hmac

LIST_CURSOR = "list-cursor"
FEED_CURSOR = "feed-cursor"
# Purposes whose tokens must differ every time, even for the same content.
FRESH = {FEED_CURSOR}
NONCE_BYTES = 16


class Unreadable(ValueError):
    """The token was not sealed by this server for this purpose (or was altered)."""


def _cipher(purpose: str) -> AESSIV:
    key = salted_hmac(f"incidents.api.sealing.{purpose}", "aes-siv", algorithm="sha512")
    return AESSIV(key.digest())  # 64 bytes: AES-256 in SIV mode


def seal(purpose: str, document) -> str:
    """``document`` (anything JSON holds) as an opaque, URL-safe token."""
    raw = json.dumps(document, separators=(",", ":")).encode()
    nonce = os.urandom(NONCE_BYTES) if purpose in FRESH else b""
    sealed = nonce + _cipher(purpose).encrypt(raw, [nonce] if nonce else None)
    # URL-safe base64 without its padding: no character needs escaping in a query string.
    return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")


def unseal(purpose: str, token: str):
    """The document sealed in ``token``; ``Unreadable`` if it was not sealed here for this."""
    try:
        sealed = base64.urlsafe_b64decode(token.encode("ascii") + b"=" * (-len(token) % 4))
        nonce = sealed[:NONCE_BYTES] if purpose in FRESH else b""
        raw = _cipher(purpose).decrypt(sealed[len(nonce) :], [nonce] if nonce else None)
        return json.loads(raw)
    except (InvalidTag, UnicodeError, ValueError, TypeError):
        raise Unreadable from None
