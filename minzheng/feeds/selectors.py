"""Reads of department data, scoped to the acting user.

* Files and their counts: district and street staff (files arrive at
  district level, so a street sees the same list); the quarantined rows of a
  file only at district level, since a bad row cannot be placed in a street.
* Records and events follow the registry person's street and committee; a
  record or event of an unmatched person (未匹配) is visible at district
  level only. Out of scope looks like missing (``DoesNotExist`` → 404).
* Committee staff and advisors do not browse raw feeds; committee staff see
  the records a verification used, through ``feed_record_get``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from minzheng.core.models import DivisionLevel, Role, User
from minzheng.core.permissions import can
from minzheng.core.scope import Scope, restrict
from minzheng.feeds.catalogue import Source, sources

# The source catalogue is part of feeds' public interface (ADR 0009).
from minzheng.feeds.catalogue import source_get as source_get
from minzheng.feeds.models import FeedEvent, FeedFile, FeedRecord, FeedReply, QuarantinedRow


def can_browse_feeds(user: User) -> bool:
    return can(user, "feeds.view")


def _district_level(user: User) -> bool:
    return Scope.of(user).level == DivisionLevel.DISTRICT


def source_list() -> list[Source]:
    return sorted(sources().values(), key=lambda s: (s.family, s.code))


def feed_files_visible(user: User) -> QuerySet[FeedFile]:
    """District staff see every department file. A street sees only the files
    that hold records of its own residents, each with the number of those
    records (``in_scope_records``); the file's district-wide counts are
    district metadata it does not see (``can_see_district_counts``)."""
    if not can_browse_feeds(user):
        return FeedFile.objects.none()
    level = Scope.of(user).level
    if level == DivisionLevel.DISTRICT:
        return FeedFile.objects.all()
    if level != DivisionLevel.STREET:
        return FeedFile.objects.none()
    mine = feed_records_visible(user).filter(file=OuterRef("pk"))
    counted = mine.order_by().values("file").annotate(n=Count("id")).values("n")
    return FeedFile.objects.filter(Exists(mine)).annotate(in_scope_records=Subquery(counted))


def can_see_district_counts(user: User) -> bool:
    return _district_level(user)


def feed_file_list(user: User, source: str = "") -> QuerySet[FeedFile]:
    qs = feed_files_visible(user)
    if source:
        qs = qs.filter(source=source)
    return qs.order_by("-imported_at", "-id")


def feed_file_get(user: User, pk: int) -> FeedFile:
    return feed_files_visible(user).get(pk=pk)


def can_see_quarantined_rows(user: User) -> bool:
    return _district_level(user)


def quarantined_rows(user: User, feed_file: FeedFile) -> QuerySet[QuarantinedRow]:
    if not _district_level(user):
        return QuarantinedRow.objects.none()
    return QuarantinedRow.objects.filter(file=feed_file).order_by("row_number", "id")


def feed_records_visible(user: User) -> QuerySet[FeedRecord]:
    qs = FeedRecord.objects.select_related("file", "person")
    return restrict(qs, user, street_field="person__street_id", committee_field="person__committee_id")


def feed_record_get(user: User, pk: int) -> FeedRecord:
    if user.is_authenticated and user.role == Role.ADVISOR:
        raise FeedRecord.DoesNotExist
    return feed_records_visible(user).get(pk=pk)


def feed_file_records_in_scope(user: User, feed_file: FeedFile) -> int:
    """How many of the file's records concern persons in the user's scope."""
    return feed_records_visible(user).filter(file=feed_file).count()


def feed_events_visible(user: User, kind: str = "") -> QuerySet[FeedEvent]:
    if not can_browse_feeds(user):
        return FeedEvent.objects.none()
    qs = restrict(FeedEvent.objects.select_related("person", "person__committee", "record"), user,
                  street_field="person__street_id", committee_field="person__committee_id")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-event_date", "-id")


def feed_event_counts(user: User) -> dict[str, int]:
    rows = feed_events_visible(user).order_by().values("kind").annotate(n=Count("id"))
    return {row["kind"]: row["n"] for row in rows}


def records_for_persons(
    user: User, person_indexes: Iterable[str], *, sources_in: Iterable[str] | None = None,
    month_from: dt.date | None = None, month_to: dt.date | None = None,
    date_from: dt.date | None = None, date_to: dt.date | None = None,
) -> QuerySet[FeedRecord]:
    """Records about the given persons (by blind index, so records received
    before the person was registered count too), within the user's scope."""
    qs = FeedRecord.objects.select_related("file").filter(person_index__in=list(person_indexes))
    if not _district_level(user):
        in_scope = restrict(FeedRecord.objects.all(), user, street_field="person__street_id",
                            committee_field="person__committee_id").values("id")
        qs = qs.filter(Q(person__isnull=True) | Q(id__in=in_scope))
    if sources_in is not None:
        qs = qs.filter(source__in=list(sources_in))
    if month_from is not None:
        qs = qs.filter(month__gte=month_from)
    if month_to is not None:
        qs = qs.filter(month__lte=month_to)
    if date_from is not None:
        qs = qs.filter(event_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(event_date__lte=date_to)
    return qs.order_by("id")


class ReplyCoverage:
    """Which sources have replied for which persons and periods.

    A source has **replied** for a person and a month (monthly sources) or a
    date range (dated sources) when it sent a record about them there, when a
    complete extract covers it, or when a "no record" reply was recorded.
    Anything else is **not replied** — never read as zero.
    """

    def __init__(self, records: set[tuple[str, str, dt.date]], replies: list[tuple[str, str, dt.date, dt.date]]):
        self._records = records  # (source, person_index, month or date)
        self._replies = replies  # (source, person_index or "" for everyone, start, end)

    def month_replied(self, source: str, person_index: str, month: dt.date) -> bool:
        """``month`` is the month's first day."""
        if (source, person_index, month) in self._records:
            return True
        return any(s == source and who in ("", person_index) and start <= month <= end
                   for s, who, start, end in self._replies)

    def replied_between(self, source: str, person_index: str, since: dt.date, until: dt.date) -> bool:
        """A reply dated in [since, until] (a record's date, or a reply period ending there)."""
        if any(s == source and who == person_index and since <= day <= until for s, who, day in self._records):
            return True
        return any(s == source and who in ("", person_index) and since <= end and start <= until
                   for s, who, start, end in self._replies)


def reply_coverage(person_indexes: Iterable[str], *, sources_in: Iterable[str], since: dt.date,
                   until: dt.date) -> ReplyCoverage:
    """The replies of ``sources_in`` about the persons from ``since`` to
    ``until`` (records by month or date; complete extracts; no-record replies).
    Only dates and keys are read — no amounts — so no scope filter applies
    beyond the persons the caller already holds in scope."""
    indexes = list(person_indexes)
    codes = list(sources_in)
    records: set[tuple[str, str, dt.date]] = set()
    rows = (FeedRecord.objects.filter(person_index__in=indexes, source__in=codes)
            .filter(Q(month__gte=since, month__lte=until) | Q(event_date__gte=since, event_date__lte=until))
            .values_list("source", "person_index", "month", "event_date"))
    for source, index, month, day in rows:
        if month is not None:
            records.add((source, index, month))
        if day is not None:
            records.add((source, index, day))
    replies = list(FeedReply.objects.filter(source__in=codes, period_start__lte=until, period_end__gte=since)
                   .filter(Q(person_index="") | Q(person_index__in=indexes))
                   .values_list("source", "person_index", "period_start", "period_end"))
    return ReplyCoverage(records, replies)


def source_coverage(user: User) -> dict[str, dict]:
    """Per source, what the user's visible files cover: how many files, the
    period from the earliest start to the latest end, and the latest file
    (two queries for all sources). A source without files is absent: unknown,
    not zero coverage."""
    from django.db.models import Max, Min

    rows = (feed_files_visible(user).order_by().values("source")
            .annotate(files=Count("id"), latest=Max("id"), period_from=Min("period_start"), period_to=Max("period_end")))
    summary = {row["source"]: dict(row) for row in rows}
    latest = FeedFile.objects.in_bulk([row["latest"] for row in summary.values()])
    for row in summary.values():
        row["last_file"] = latest.get(row["latest"])
    return summary


# --- the to-do inbox (workbench) ---------------------------------------------

def files_with_rejected_rows(user: User, *, days: int = 30) -> QuerySet[FeedFile]:
    """Department files of the last ``days`` days with rows kept aside, for
    those who import department data and may see the rejected rows."""
    from django.utils import timezone

    if not can(user, "feeds.import") or not can_see_quarantined_rows(user):
        return FeedFile.objects.none()
    since = timezone.now() - dt.timedelta(days=days)
    return feed_files_visible(user).filter(bad_rows__gt=0, imported_at__gte=since).order_by("-imported_at", "-id")
