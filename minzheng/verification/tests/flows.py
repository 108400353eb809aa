"""A whole verification for other apps' tests: request → authorisations →
department replies → computation → acceptance by a second person."""

from __future__ import annotations

import datetime as dt

from minzheng.registry.selectors import household_members
from minzheng.verification.services import (
    verification_authorisation_record,
    verification_compute,
    verification_request_create,
    verification_result_accept,
)
from minzheng.verification.tests.conftest import every_source_replied, scan


def wages_as_declared(users, household, as_of: dt.date) -> None:
    """The human-resources bureau reports, for each of the 12 months before
    ``as_of``, each member's declared income (registry facts) as wages — the
    department data agree with the declaration."""
    from minzheng.core.personal_data import decrypt
    from minzheng.registry.selectors import income_in_force
    from minzheng.verification.replies import window_months
    from minzheng.verification.tests.conftest import feed

    start = dt.date(as_of.year - 1, as_of.month, 1)
    end = as_of.replace(day=1) - dt.timedelta(days=1)
    rows = []
    for membership in household_members(household):
        person = membership.person
        fact = income_in_force(person, as_of)
        monthly = (fact.earned_fen + fact.other_fen) if fact else 0
        if monthly:
            rows += [{"id_number": decrypt(person.id_number_enc), "name": person.name, "month": f"{m:%Y-%m}",
                      "employer": "松江某厂", "amount": f"{monthly // 100}.{monthly % 100:02d}"}
                     for m in window_months(start, end)]
    if rows:
        feed(users, "hrss_wages", rows, filename=f"wages-{household.pk}.csv")


def accepted_verification(users, household, *, as_of: dt.date, computed_by: str = "bureau",
                          accepted_by: str = "", replies: bool = True, wages_as_declared_income: bool = False):
    """Verify ``household`` on ``as_of`` and accept the result; department files
    already imported count, and every other source replies "no record". The
    acceptor defaults to the street account whose street holds the household."""
    accepted_by = accepted_by or next(
        name for name in ("street", "other_street") if users[name].scope_id == household.street_id)
    if wages_as_declared_income:
        wages_as_declared(users, household, as_of)
    if replies:
        every_source_replied(users, dt.date(as_of.year - 1, as_of.month, 1), as_of)
    request = verification_request_create(actor=users[computed_by], household=household, purpose="dibao")
    for membership in household_members(household):
        verification_authorisation_record(actor=users[computed_by], request=request, signed_by=membership.person,
                                          signed_on=as_of, document=scan())
    result = verification_compute(actor=users[computed_by], request=request, as_of=as_of)
    return verification_result_accept(actor=users[accepted_by], result=result)
