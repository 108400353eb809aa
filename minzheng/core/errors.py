"""Refusals that carry an HTTP meaning beyond "a rule says no".

``StateConflict`` is a ``ValidationError`` (pages and services that catch
``ValidationError`` keep working) raised when the record is not in a state
that allows the step — already done, already closed, not yet reviewed. The
API answers it 409 (``core.api.call_service``); other rule refusals stay 422.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class StateConflict(ValidationError):
    """The record's current state does not allow this step (HTTP 409)."""
