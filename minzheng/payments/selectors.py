"""Reads of the payments app, scoped to the acting user.

Batches are district-wide (one per program and month). District-level
bureau and audit staff (:func:`district_wide`) see every batch with its
control totals, event log and files; everyone else sees only the batches
holding a line of their jurisdiction, and only those lines and their totals
(an out-of-scope batch is indistinguishable from a missing one). Receivables, sample
cases and payee accounts belong to a person's street and committee; outside
the user's scope they are indistinguishable from missing (``DoesNotExist``).
"""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from minzheng.core.models import DivisionLevel, User
from minzheng.core.permissions import can
from minzheng.core.scope import Scope, restrict
from minzheng.payments.models import (
    FINAL_STATUSES,
    BatchEvent,
    LineHold,
    OneOffPayment,
    PayeeAccount,
    PaymentBatch,
    PaymentLine,
    Receivable,
    ReceivableEntry,
    ReturnOutcome,
    SampleCase,
    SampleDraw,
)
from minzheng.registry import selectors as registry_selectors


def lines_visible(user: User) -> QuerySet[PaymentLine]:
    return restrict(PaymentLine.objects.all(), user)


def district_wide(user: User) -> bool:
    """Bureau or audit staff scoped to the whole district (or a superuser
    without a scope): they see district-wide batch figures, the closed-loop
    check, sampling reproduction and the exported files."""
    if Scope.of(user).level != DivisionLevel.DISTRICT:
        return False
    return can(user, "payments.district_view")


def batches_visible(user: User) -> QuerySet[PaymentBatch]:
    """Every batch for district-level staff; for others, batches with a line in scope."""
    if district_wide(user):
        return PaymentBatch.objects.all()
    if Scope.of(user).level == "none":
        return PaymentBatch.objects.none()
    return PaymentBatch.objects.filter(Exists(lines_visible(user).filter(batch=OuterRef("pk"))))


def batch_list(user: User, *, program: str = "", month: str = "", status: str = "") -> QuerySet[PaymentBatch]:
    qs = batches_visible(user)
    if program:
        qs = qs.filter(program=program)
    if month:
        qs = qs.filter(month=month)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-month", "-id")


def batch_list_with_scope_totals(user: User) -> QuerySet[PaymentBatch]:
    """Visible batches, each annotated with the count and amount of its lines
    in the user's jurisdiction (``scope_count``, ``scope_amount_fen``; two
    subqueries in the list's one query, so they sort and export like columns)."""
    lines = lines_visible(user).filter(batch=OuterRef("pk")).order_by().values("batch")
    count = Subquery(lines.annotate(c=Count("id")).values("c"), output_field=IntegerField())
    amount = Subquery(lines.annotate(s=Sum("amount_fen")).values("s"), output_field=IntegerField())
    return batch_list(user).annotate(scope_count=Coalesce(count, 0), scope_amount_fen=Coalesce(amount, 0))


def batch_get(user: User, pk: int) -> PaymentBatch:
    return batches_visible(user).get(pk=pk)


def batch_lines(user: User, batch: PaymentBatch) -> QuerySet[PaymentLine]:
    return (lines_visible(user).filter(batch=batch)
            .select_related("street", "committee", "bank_return", "corrects", "hold").order_by("seq"))


def batch_holds(user: User, batch: PaymentBatch) -> QuerySet[LineHold]:
    """Lines of ``batch`` in scope on hold now (已暂停发放), with the line."""
    return (LineHold.objects.filter(line__in=lines_visible(user).filter(batch=batch), released_at__isnull=True)
            .select_related("line", "person").order_by("line__seq"))


def hold_get(user: User, batch: PaymentBatch, pk: int) -> LineHold:
    """A hold of a line of ``batch`` in scope (``DoesNotExist`` otherwise)."""
    return LineHold.objects.select_related("line__batch").get(
        pk=pk, line__in=lines_visible(user).filter(batch=batch))


def one_off_list(user: User) -> QuerySet[OneOffPayment]:
    """One-off payment requests of payees in scope, newest first."""
    return (restrict(OneOffPayment.objects.all(), user)
            .select_related("payee", "beneficiary", "committee", "line__batch").order_by("-id"))


def batch_scope_totals(user: User, batches: list[PaymentBatch]) -> dict[int, dict]:
    """Count and amount of each batch within the user's scope (one query)."""
    rows = (lines_visible(user).filter(batch__in=batches).values("batch_id")
            .annotate(count=Count("id"), amount_fen=Sum("amount_fen")))
    return {r["batch_id"]: r for r in rows}


def batch_events(batch: PaymentBatch) -> QuerySet[BatchEvent]:
    return batch.events.all()


def corrections_list(user: User) -> QuerySet[PaymentLine]:
    """Failed lines not yet re-issued (the correction list), in scope."""
    from minzheng.payments.batches import failed_lines_to_reissue

    return (restrict(failed_lines_to_reissue(), user).select_related("batch", "bank_return", "person", "committee")
            .order_by("program", "batch_id", "seq"))


def receivables_visible(user: User) -> QuerySet[Receivable]:
    return restrict(Receivable.objects.all(), user)


def receivables_with_balance(user: User) -> QuerySet[Receivable]:
    """Receivables in scope with ``balance_fen`` (posted charges − repayments −
    write-offs, as ``recovery.balance``) computed in the list's query."""
    from minzheng.payments.models import EntryKind, EntryStatus

    posted = Q(entries__status=EntryStatus.POSTED)
    charged = Coalesce(Sum("entries__amount_fen", filter=posted & Q(entries__kind=EntryKind.CHARGE)), 0)
    repaid = Coalesce(Sum("entries__amount_fen", filter=posted & Q(entries__kind=EntryKind.REPAYMENT)), 0)
    written = Coalesce(Sum("entries__amount_fen", filter=posted & Q(entries__kind=EntryKind.WRITE_OFF)), 0)
    return (receivables_visible(user).select_related("person", "committee")
            .annotate(balance_fen=charged - repaid - written).order_by("-balance_fen", "id"))


def draw_case_households(user: User, cases: list[SampleCase]) -> dict[int, object]:
    """The households (heads prefetched) of sampled household beneficiaries
    (``h<id>``) in the user's jurisdiction: case id → household."""
    ids = {c.pk: int(c.beneficiary[1:]) for c in cases if c.beneficiary.startswith("h") and c.beneficiary[1:].isdigit()}
    households = {h.pk: h for h in registry_selectors.prefetch_heads(
        registry_selectors.households_visible(user).filter(pk__in=set(ids.values())))}
    return {case_id: households[hid] for case_id, hid in ids.items() if hid in households}


def receivable_get(user: User, pk: int) -> Receivable:
    return receivables_visible(user).select_related("person", "committee", "street").get(pk=pk)


def receivable_entries(receivable: Receivable) -> QuerySet[ReceivableEntry]:
    return receivable.entries.select_related("line").order_by("id")


def entry_get(user: User, pk: int) -> ReceivableEntry:
    return ReceivableEntry.objects.select_related("receivable").get(
        pk=pk, receivable__in=receivables_visible(user))


def draws_visible(user: User) -> QuerySet[SampleDraw]:
    if Scope.of(user).level == "none":
        return SampleDraw.objects.none()
    return SampleDraw.objects.all()


def draw_get(user: User, pk: int) -> SampleDraw:
    return draws_visible(user).get(pk=pk)


def draw_cases(user: User, draw: SampleDraw) -> QuerySet[SampleCase]:
    return restrict(draw.cases.all(), user).select_related("person", "street", "committee")


def sample_case_get(user: User, pk: int) -> SampleCase:
    return restrict(SampleCase.objects.all(), user).select_related("draw").get(pk=pk)


def person_accounts(user: User, person_id: int) -> tuple:
    """(person, accounts newest first) for a person in scope."""
    person = registry_selectors.person_get(user, person_id)
    return person, list(PayeeAccount.objects.filter(person=person).order_by("-id"))


def enrolment_paid_amounts(enrolment_ids: list[int], *, from_month: str) -> dict[int, dict[str, int]]:
    """What the ledger actually paid for each enrolment from ``from_month`` on:
    enrolment → {benefit month → fen}, counting lines of approved (or later)
    batches that the bank did not return as failed, corrections included.
    A month with no such line was not paid, whatever the enrolment says."""
    rows = (PaymentLine.objects.filter(enrolment_id__in=enrolment_ids, benefit_month__gte=from_month,
                                       batch__status__in=FINAL_STATUSES)
            .exclude(bank_return__outcome=ReturnOutcome.FAILED)
            .filter(Q(hold__isnull=True) | Q(hold__released_at__isnull=False))  # a held line was not paid
            .values_list("enrolment_id", "benefit_month").annotate(total=Sum("amount_fen")).order_by())
    paid: dict[int, dict[str, int]] = {}
    for enrolment_id, month, total in rows:
        if total:
            paid.setdefault(enrolment_id, {})[month] = total
    return paid


# --- the to-do inbox (workbench) ---------------------------------------------

def batches_todo(user: User) -> QuerySet[PaymentBatch]:
    """Batches waiting for the user's maker-checker step: drafts with lines to
    review (复核) and reviewed batches to approve (审批) — never a batch the
    user prepared or reviewed (``batches.batch_review``/``batch_approve``)."""
    from django.db.models import Q

    wanted = Q(pk__in=[])
    if can(user, "payments.review"):
        wanted |= Q(status="draft", control_count__gt=0)
    if can(user, "payments.approve"):
        wanted |= Q(status="reviewed") & ~Q(reviewed_by=user.username)
    if not can(user, "payments.review") and not can(user, "payments.approve"):
        return PaymentBatch.objects.none()
    return (batches_visible(user).filter(wanted).exclude(prepared_by=user.username)
            .order_by("prepared_at", "id"))


def sample_cases_pending(user: User) -> QuerySet[SampleCase]:
    """Sampled cases not yet checked, in scope (the auditor's and checkers' view)."""
    return (restrict(SampleCase.objects.filter(outcome="pending"), user).select_related("person", "draw", "street")
            .order_by("draw_id", "id"))
