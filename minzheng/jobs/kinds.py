"""The kinds of job, as the apps declare them (``services.kind_register``).

A kind names its Chinese label, the permission needed to start or retry it,
how to check its parameters, how to describe them in Chinese, the lock key
that keeps two runs apart, and the function that does the work. That
function receives the actor, the checked parameters and a
``progress(stage, done, total)`` callable, and returns an :class:`Outcome`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

Progress = Callable[[str, int | None, int | None], None]


@dataclass(frozen=True)
class Outcome:
    """What a finished job shows: a summary in Chinese and a link to what it produced.
    ``value`` is the operation's own result, handed back to a command-line caller (not stored)."""

    summary: str
    url: str = ""
    link_label: str = ""
    value: Any = field(default=None, compare=False)


class JobFailed(ValidationError):
    """A job that ends in failure but produced something to look at (e.g. an
    import refused because of bad rows: the list of problems). The job page
    shows the Chinese message and a link to ``url``."""

    def __init__(self, message: str, *, url: str = "", link_label: str = "") -> None:
        super().__init__(message)
        self.url, self.link_label = url, link_label


@dataclass(frozen=True)
class JobKind:
    code: str
    label: str
    permission: str
    run: Callable[[Any, dict[str, Any], Progress], Outcome]
    clean: Callable[[dict[str, Any]], dict[str, Any]]
    describe: Callable[[dict[str, Any]], str]
    lock_key: Callable[[dict[str, Any]], str] = lambda params: ""
    # what a refusal says the lock protects, e.g. "2026年11月的批量测算和动态监测"
    lock_label: Callable[[dict[str, Any]], str] = lambda params: "同类作业"


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    _KINDS[kind.code] = kind
    from minzheng.core.audit_labels import register_value_labels

    register_value_labels("kind", [(k.code, k.label) for k in _KINDS.values()], object_type="Job")


def get(code: str) -> JobKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise KeyError(f"unknown job kind {code!r}") from None


def all_kinds() -> list[JobKind]:
    return list(_KINDS.values())


def label(code: str) -> str:
    kind = _KINDS.get(code)
    return kind.label if kind else "其他作业"
