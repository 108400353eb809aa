"""Pre-filling the policy calculator from the registry."""

from __future__ import annotations

from django.utils import timezone

from minzheng.core.models import User
from minzheng.eligibility.inputs import household_payload
from minzheng.registry import selectors as registry_selectors
from minzheng.registry.columnar import registry_columns
from minzheng.registry.models import Household
from policy import InputError
from policy.months import Month


def prefill_from_registry(user: User, household_id: int, month: str) -> tuple[dict, list[dict], Household]:
    """Form initial data for one household in the user's scope, as of ``month``.

    Raises ``Household.DoesNotExist`` outside the user's scope.
    """
    household = registry_selectors.household_get(user, household_id)
    try:
        parsed = Month.parse(month)
    except ValueError:
        parsed = Month.parse(timezone.localdate().strftime("%Y-%m"))
    month, first_day = str(parsed), parsed.first_day
    cols = registry_columns(first_day, household_ids=[household.pk])
    if cols.households == 0:
        return {"month": month}, [], household
    try:
        payload = household_payload(cols, 0, month=month)["household"]
    except InputError:  # nothing known to bring over: the clerk enters the figures
        return {"month": month}, [], household
    initial = {
        "month": month,
        "monetary_assets_yuan": payload["monetary_assets_yuan"],
        "private_cars": payload["private_cars"],
        "homes": payload["homes"],
        "medical_out_of_pocket_12m_yuan": payload["medical_out_of_pocket_12m_yuan"],
    }
    names = dict(household.memberships.values_list("person_id", "person__name"))
    members = []
    for m in payload["members"]:
        row = {k: v for k, v in m.items() if k not in ("disability", "care_assessment")}
        row["id"] = names.get(int(m["id"]), m["id"])
        if "disability" in m:
            row["disability_grade"] = str(m["disability"]["grade"])
            row["disability_kind"] = m["disability"]["kind"]
        if "care_assessment" in m:
            row["care_level"] = str(m["care_assessment"]["level"])
            row["care_assessed_on"] = m["care_assessment"]["assessed_on"]
        members.append(row)
    return initial, members, household
