"""Masked ID copies rewritten to the new rule: first 6 and last 1 character
kept, same length (``310117********1234`` → ``310117***********4``;
docs/adr/0002-personal-data-and-audit.md). The former copy together with the
birth date shown beside it was the whole number.

No decryption: the new copy is made from the stored one (its first six and
last character are the number's). Copies under 10 characters are already all
stars; copies already in the new form (a star before the last character) are
left alone. One SQL statement, the same on PostgreSQL and SQLite (SQLite has
no ``repeat()``, hence ``substr`` of a run of stars).

Not reversible: the old copy kept digits 15–17, which the new one no longer
holds (going back leaves the new copies in place)."""

from django.db import migrations

REMASK = """
UPDATE registry_person
   SET id_number_masked = substr(id_number_masked, 1, 6)
       || substr('******************************', 1, length(id_number_masked) - 7)
       || substr(id_number_masked, length(id_number_masked), 1)
 WHERE length(id_number_masked) >= 10
   AND substr(id_number_masked, length(id_number_masked) - 1, 1) <> '*'
"""


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0007_person_search_indexes"),
    ]

    operations = [
        # Reverse: a no-op — the hidden digits 15–17 cannot be brought back (and must not be).
        migrations.RunSQL(REMASK, reverse_sql=migrations.RunSQL.noop, elidable=False),
    ]
