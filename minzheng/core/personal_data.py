"""Personal data at rest and on screen: encryption, blind index, masking.

ID numbers and phone numbers are stored encrypted with AES-256-GCM (a fresh
96-bit nonce per value) under ``MINZHENG_DATA_KEY``. Exact look-up uses a
keyed blind index, HMAC-SHA256 under ``MINZHENG_INDEX_KEY``, so the database
never holds a plain number and a stolen dump cannot be searched by number.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_PREFIX = "v1:"


@functools.cache
def _aead(key_b64: str) -> AESGCM:
    key = base64.b64decode(key_b64)
    if len(key) != 32:
        raise ValueError("MINZHENG_DATA_KEY must be 32 bytes, base64-encoded")
    return AESGCM(key)


def encrypt(plain: str) -> str:
    """Encrypt a short text; returns ``v1:<base64(nonce|ciphertext)>``."""
    if plain == "":
        return ""
    nonce = os.urandom(12)
    sealed = _aead(settings.MINZHENG_DATA_KEY).encrypt(nonce, plain.encode(), None)
    return _PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    """Reverse of :func:`encrypt`."""
    if token == "":
        return ""
    if not token.startswith(_PREFIX):
        raise ValueError("unknown ciphertext version")
    raw = base64.b64decode(token[len(_PREFIX) :])
    return _aead(settings.MINZHENG_DATA_KEY).decrypt(raw[:12], raw[12:], None).decode()


def encrypt_many(plains: list[str]) -> list[str]:
    """:func:`encrypt` for many values at once (a bulk load): the same
    format, a fresh nonce per value, one ``os.urandom`` call for all nonces."""
    aead = _aead(settings.MINZHENG_DATA_KEY)
    seal = aead.encrypt
    b64 = base64.b64encode
    nonces = os.urandom(12 * len(plains))
    out = []
    for i, plain in enumerate(plains):
        if plain == "":
            out.append("")
            continue
        nonce = nonces[12 * i : 12 * i + 12]
        out.append(_PREFIX + b64(nonce + seal(nonce, plain.encode(), None)).decode())
    return out


def seal_bytes(data: bytes, context: str) -> bytes:
    """A file's bytes sealed for storage with AES-256-GCM under
    ``MINZHENG_DATA_KEY``: ``nonce (12 bytes) | ciphertext``. ``context`` is
    bound as associated data (e.g. the upload's token), so a sealed file
    cannot be passed off as another."""
    nonce = os.urandom(12)
    return nonce + _aead(settings.MINZHENG_DATA_KEY).encrypt(nonce, data, context.encode())


def unseal_bytes(blob: bytes, context: str) -> bytes:
    """Reverse of :func:`seal_bytes` (``cryptography.exceptions.InvalidTag``
    when the file or its context was altered)."""
    return _aead(settings.MINZHENG_DATA_KEY).decrypt(blob[:12], blob[12:], context.encode())


def blind_index_many(values: list[str]) -> list[str]:
    """:func:`blind_index` for many values at once (the same digests)."""
    key = settings.MINZHENG_INDEX_KEY.encode()
    digest = hmac.digest
    return [digest(key, v.strip().upper().encode(), "sha256").hex()[:40] for v in values]


def blind_index(value: str) -> str:
    """Keyed, deterministic digest of a normalised identifier for exact look-up."""
    normalised = value.strip().upper()
    return hmac.new(
        settings.MINZHENG_INDEX_KEY.encode(), normalised.encode(), hashlib.sha256
    ).hexdigest()[:40]


def mask_id_number(number: str) -> str:
    """``310117199001011234`` → ``310117***********4`` (first 6 and last 1 kept,
    same length; under 10 characters all stars).

    Lists, exports and the API show the birth date beside the masked copy, and
    the birth date *is* digits 7–14: the former rule (first 6 and last 4 kept)
    together with it was the whole number. With only the last character kept,
    the sequence digits 15–17 stay hidden (docs/adr/0002-personal-data-and-audit.md).
    """
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 7) + number[-1:]


def mask_name(name: str) -> str:
    """Public-notice masking: ``张三`` → ``张*``, ``张小明`` → ``张*明``."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``."""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
