"""Reads of the verification domain, scoped to the acting user: committee
staff see their committee's requests, street staff their street's, bureau
staff and auditors the district's; advisors none. Out of scope looks like
missing (``DoesNotExist`` → 404)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from minzheng.core.models import User
from minzheng.core.permissions import can
from minzheng.core.scope import restrict
from minzheng.registry.selectors import prefetch_heads
from minzheng.verification.models import (
    Status,
    VerificationReport,
    VerificationRequest,
    VerificationResult,
)


def requests_visible(user: User) -> QuerySet[VerificationRequest]:
    if not can(user, "verification.view"):
        return VerificationRequest.objects.none()
    return restrict(VerificationRequest.objects.all(), user)


def request_queue(user: User, status: str = "", purpose: str = "") -> QuerySet[VerificationRequest]:
    qs = requests_visible(user).select_related("household", "street", "committee")
    if status:
        qs = qs.filter(status=status)
    if purpose:
        qs = qs.filter(purpose=purpose)
    return qs.order_by("-created_at", "-id")


def request_rows(user: User) -> QuerySet[VerificationRequest]:
    """The queue's rows (scoped; heads of household fetched with the page, not per row)."""
    return prefetch_heads(requests_visible(user).select_related("household", "street", "committee"),
                          "household").order_by("-created_at", "-id")


def request_status_counts(user: User) -> dict[str, int]:
    """Requests per status in the user's scope (every status present, zero if none)."""
    counts = {value: 0 for value in Status.values}
    for row in requests_visible(user).order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def request_get(user: User, pk: int) -> VerificationRequest:
    return requests_visible(user).select_related("household", "street", "committee").get(pk=pk)


def request_latest_result(request: VerificationRequest) -> VerificationResult | None:
    return request.results.order_by("-computed_at", "-id").first()


def result_figures(result: VerificationResult):
    return result.figures.select_related("person").prefetch_related("records__file").order_by("id")


def report_get(user: User, pk: int) -> VerificationReport:
    return VerificationReport.objects.select_related("result__request").get(
        pk=pk, result__request__in=requests_visible(user))


def verification_yearly_count(user: User, year: int) -> int:
    """Requests opened in ``year`` in the user's scope — the dashboard figure
    (the 2023 summary: 核对委托 17475户次)."""
    return requests_visible(user).filter(created_at__year=year).exclude(status=Status.WITHDRAWN).count()


def accepted_results_for_household(household_id: int) -> QuerySet[VerificationResult]:
    """The household's accepted (认定) verification results, newest first.
    Callers hold the household in scope already (an application's)."""
    return (VerificationResult.objects.filter(request__household_id=household_id, accepted_at__isnull=False)
            .exclude(request__status=Status.WITHDRAWN).select_related("request")
            .order_by("-accepted_at", "-id"))


def accepted_result_by_reference(*, household_id: int, reference: str) -> VerificationResult | None:
    """The latest accepted result of the household's request ``reference`` (核对编号), or None."""
    return accepted_results_for_household(household_id).filter(request__reference=reference.strip()).first()


# --- the to-do inbox (workbench) ---------------------------------------------

def requests_todo(user: User) -> QuerySet[VerificationRequest]:
    """Requests waiting for the user: computed results to accept (认定) for
    those who accept; requests to authorise, compute or complete for the
    committee staff who carry them out. Oldest first."""
    if can(user, "verification.accept"):
        statuses = [Status.COMPUTED]
    elif can(user, "verification.write"):
        statuses = [Status.AWAITING_AUTHORISATION, Status.AUTHORISED, Status.INCOMPLETE]
    else:
        return VerificationRequest.objects.none()
    return (requests_visible(user).filter(status__in=statuses).select_related("household", "committee")
            .order_by("created_at", "id"))
