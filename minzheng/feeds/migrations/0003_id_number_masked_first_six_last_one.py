"""Masked ID copies of department data rewritten to the new rule: first 6 and
last 1 character kept, same length (``310117********1234`` →
``310117***********4``; docs/adr/0002-personal-data-and-audit.md), as the
registry's own copies (registry 0008).

Records, events and replies: one SQL statement each, the same on PostgreSQL
and SQLite. Quarantined rows keep the row as received with the ID number
masked under the source's ID column header (JSON): rewritten row by row.

Not reversible: the old copies kept digits 15–17, which the new ones no longer
hold (going back leaves the new copies in place)."""

from django.db import migrations

TABLES = ("feeds_feedrecord", "feeds_feedevent", "feeds_feedreply")

REMASK = """
UPDATE {table}
   SET id_number_masked = substr(id_number_masked, 1, 6)
       || substr('******************************', 1, length(id_number_masked) - 7)
       || substr(id_number_masked, length(id_number_masked), 1)
 WHERE length(id_number_masked) >= 10
   AND substr(id_number_masked, length(id_number_masked) - 1, 1) <> '*'
"""


def remask(masked: str) -> str:
    """The new copy made from an old one (``mask_id_number`` as of this migration)."""
    if len(masked) < 10 or masked[-2] == "*":
        return masked
    return masked[:6] + "*" * (len(masked) - 7) + masked[-1]


def remask_quarantined(apps, schema_editor):
    from minzheng.feeds.catalogue import sources

    headers = {s.column("id_number").header for s in sources().values()}
    QuarantinedRow = apps.get_model("feeds", "QuarantinedRow")
    last = 0
    while batch := list(QuarantinedRow.objects.filter(pk__gt=last).order_by("pk").only("raw")[:2000]):
        last = batch[-1].pk
        changed = []
        for row in batch:
            raw = row.raw if isinstance(row.raw, dict) else {}
            new = {k: remask(v) if k in headers and isinstance(v, str) else v for k, v in raw.items()}
            if new != raw:
                row.raw = new
                changed.append(row)
        QuarantinedRow.objects.bulk_update(changed, ["raw"])

class Migration(migrations.Migration):

    dependencies = [
        ("feeds", "0002_department_replies_and_complete_extracts"),
    ]

    operations = [
        # Reverse: no-ops — the hidden digits 15–17 cannot be brought back (and must not be).
        *(migrations.RunSQL(REMASK.format(table=t), reverse_sql=migrations.RunSQL.noop, elidable=False) for t in TABLES),
        migrations.RunPython(remask_quarantined, migrations.RunPython.noop, elidable=False),
    ]
