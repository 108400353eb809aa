"""Writes of the department-data domain other than the file import
(``feeds.importing.feed_file_import``, re-exported here): a department's
explicit "no record" reply about one person (查无记录), which a
verification needs before it may read a source's silence as "nothing"
(docs/adr/0011-economic-facts.md).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from minzheng.core.audit import audit_record
from minzheng.core.bounds import day_check
from minzheng.core.models import User
from minzheng.core.permissions import require, require_in_scope
from minzheng.feeds.catalogue import source_get
from minzheng.feeds.importing import feed_file_import
from minzheng.feeds.models import FeedReply, ReplyKind
from minzheng.registry.models import Person

__all__ = ["feed_file_import", "feed_no_record_reply_record"]

@transaction.atomic
def feed_no_record_reply_record(
    *, actor: User, source: str, person: Person, period_start: dt.date, period_end: dt.date, reference: str,
) -> FeedReply:
    """Record that ``source`` replied "no record" for ``person`` over the
    period (e.g. a bank's written answer to a verification query). The reply
    document's number is required: a silence is not a reply."""
    require(actor, "feeds.reply_record")
    require_in_scope(actor, street_code=person.street_id, committee_code=person.committee_id)
    try:
        found = source_get(source)
    except KeyError as err:
        raise ValidationError(str(err.args[0])) from err
    day_check(period_start, "回复期间起", latest=None)
    if period_end < period_start:
        raise ValidationError("回复期间止不能早于回复期间起")
    if period_end > dt.date.today():
        raise ValidationError("回复期间不能晚于今天")
    reference = reference.strip()
    if not reference:
        raise ValidationError("请填写部门回复的文号或编号")
    reply = FeedReply.objects.create(
        source=found.code, kind=ReplyKind.NO_RECORD, person_index=person.id_number_index,
        id_number_masked=person.id_number_masked, period_start=period_start, period_end=period_end,
        reference=reference[:64], recorded_by=actor.username)
    audit_record(actor=actor, action="feeds.no_record_reply", object_type="Person", object_id=person.pk,
                 scope_code=person.committee_id,
                 changes={"source": found.code, "period_start": period_start, "period_end": period_end,
                          "reference": reference[:64], "reply": reply.pk})
    return reply
