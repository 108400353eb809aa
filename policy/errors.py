"""Errors raised by the policy package."""

from __future__ import annotations


class InputError(Exception):
    """Invalid evaluation input.

    ``problems`` lists *every* problem found, each a dict with ``field`` (a path
    such as ``household.members[0].birth_date``) and ``message`` (Chinese text for
    staff), so a form can show them all at once.
    """

    def __init__(self, problems: list[dict[str, str]]) -> None:
        self.problems = problems
        summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems[:5])
        more = f" (+{len(problems) - 5})" if len(problems) > 5 else ""
        super().__init__(f"{len(problems)} input problem(s): {summary}{more}")


class ParameterFileError(Exception):
    """A parameter YAML file is malformed (raised at load time, never at evaluation)."""
