"""Reservation and order codes (ADR 0026): 8 characters drawn by
``secrets`` from 31 letters and digits without the look-alikes 0/O, 1/I/L —
about 40 bits, so a code cannot be guessed (about 1 in 8.5 × 10¹¹ per try), short
enough to read out on the phone and type at the gate. Printed in two groups
of four (``K7QM-3XPA``); typed in any case, with or without the dash."""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # 31 symbols: no 0 O 1 I L
LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str:
    """What a clerk typed or a scanner read → the stored form (upper case, no dash or space)."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:LENGTH * 2]


def display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == LENGTH else code
