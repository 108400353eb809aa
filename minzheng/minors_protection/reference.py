"""The reference data the app starts with (a data migration and
``services.reference_seed_missing`` both use it; a flushed test database is
refilled by the latter).

* Concern kinds (情形): the situations 未成年人保护法 names for protection and
  强制报告 (第十一条: 受到侵害、疑似受到侵害或者面临其他危险情形), plus the seed's
  意外事件 (2023: 共上报未成年人意外事件16起). Kept by the bureau as data.
* Assessment deadlines per urgency: **the bureau's own working setting**. Neither
  the seed, REFERENCE nor the law gives a time for the assessment; the values
  below are placeholders the bureau confirms or changes on the settings page,
  and every page shows them as 本局工作设定（非法定时限）.
"""

from __future__ import annotations

# (code, label, mandatory report, order)
CONCERN_KINDS: tuple[tuple[str, str, bool, int], ...] = (
    ("domestic_violence", "家庭暴力或虐待", True, 10),
    ("abandonment", "遗弃", True, 20),
    ("guardianship", "监护缺失或监护不当", True, 30),
    ("sexual_abuse", "性侵害", True, 40),
    ("bullying", "学生欺凌", True, 50),
    ("accident", "意外事件（伤害）", True, 60),
    ("dropout", "失学辍学", False, 70),
    ("mental_health", "心理危机", False, 80),
    ("wandering", "流浪或离家出走", True, 90),
    ("exploitation", "非法用工或其他侵害", True, 100),
    ("other", "其他", False, 900),
)

BUREAU_SETTING = "本局工作设定（非法定时限）：法律和上级文件未规定评估时限，由区未保办确认或修改"

# urgency → hours (the bureau's setting, see above)
DEADLINE_HOURS: dict[str, int] = {"urgent": 24, "high": 72, "normal": 168}


def seed(apps, schema_editor=None) -> None:  # noqa: ARG001 - a data migration's signature
    """Insert what is missing (never changes a row the bureau edited)."""
    kind_model = apps.get_model("minors_protection", "ConcernKind")
    deadline_model = apps.get_model("minors_protection", "AssessmentDeadline")
    for code, label, mandatory, order in CONCERN_KINDS:
        kind_model.objects.get_or_create(code=code, defaults={"label": label, "mandatory_report": mandatory,
                                                              "order": order})
    for urgency, hours in DEADLINE_HOURS.items():
        deadline_model.objects.get_or_create(urgency=urgency, defaults={"hours": hours, "basis": BUREAU_SETTING,
                                                                        "bureau_setting": True,
                                                                        "updated_by": "初始设置"})
