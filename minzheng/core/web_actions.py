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


def account_link_post(request: HttpRequest, form, link: Callable[[object], object]) -> None:
    """Link the account named in ``form`` (its ``username`` field) by calling
    ``link(user)`` — a facility's staff, an organization's account: the
    form's errors, an unknown account or the service's refusal is flashed."""
    from minzheng.core.models import User

    if not form_valid(request, form):
        return
    user = User.objects.filter(username=form.cleaned_data["username"].strip()).first()
    if user is None:
        messages.error(request, "没有这个账号")
        return
    attempt(request, lambda: link(user), f"已关联账号{user.username}")


def account_unlink_post(request: HttpRequest, user_id: int, unlink: Callable[[object], object]) -> None:
    """Unlink the account ``user_id`` by calling ``unlink(user)`` (see above)."""
    from minzheng.core.models import User

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        messages.error(request, "没有这个账号")
        return
    attempt(request, lambda: unlink(user), f"已取消关联账号{user.username}")
