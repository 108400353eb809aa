"""Errors raised by the policy package."""

from __future__ import annotations

from policy.months import Month


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


class ParameterMissing(LookupError):
    """A rule needs a parameter with no value in force on the 1st of ``month``.

    The single-value counterpart of the reason code ``PARAMETER_MISSING``
    (``policy.lines``): callers report it ("undetermined"), never use a default.
    ``names`` lists the missing parameters; ``message`` is Chinese text for staff.
    """

    code = "PARAMETER_MISSING"

    def __init__(self, names: tuple[str, ...], month: Month) -> None:
        self.names = names
        self.month = month
        super().__init__(f"PARAMETER_MISSING: no value in force on {month.first_day} for {', '.join(names)}")

    @property
    def message(self) -> str:
        quoted = "、".join(f"“{name}”" for name in self.names)
        return f"政策参数{quoted}在{self.month.year}年{self.month.month}月没有有效值，无法判定，请补充参数后重新判定"
