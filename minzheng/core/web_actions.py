"""Running a write service from a page: a broken rule's Chinese error becomes
a message for the clerk; a wrong role is not caught here (Django answers the
403 page, ADR 0010) and an out-of-scope object answers 404 like a missing one."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from minzheng.core.scope import OutOfScope


def error_text(err: Exception) -> str:
    """All messages of a ValidationError (or the text of another error), joined."""
    return "；".join(getattr(err, "messages", None) or [str(err)])


def form_errors(form) -> str:
    """Every field and form error of a bound form, joined (for one message)."""
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


def form_valid(request: HttpRequest, form) -> bool:
    """Validate a posted form; if it is not valid, flash its errors (the page
    redirects back to where the form was shown) and answer False."""
    if form.is_valid():
        return True
    messages.error(request, form_errors(form))
    return False


def attempt(request: HttpRequest, call: Callable[[], object], success: str) -> bool:
    """Run ``call``; on success flash ``success``, on a broken rule flash the
    reason. ``PermissionDenied`` (wrong role) propagates: the 403 page."""
    try:
        call()
    except OutOfScope as err:
        raise Http404("未找到该记录") from err
    except ValidationError as err:
        messages.error(request, error_text(err))
        return False
    messages.success(request, success)
    return True
