"""Person search indexes (docs/adr/0020-person-search-indexes.md): pg_trgm and
byte-order B-trees for the name and pinyin search, an area-code/birth-date
index for ID-number prefixes; the duplicate ``committee`` index, the
``street`` index (covered by ``street, committee``) and the pattern
(``_like``) copies of indexes never matched by pattern removed.

On a registry of two million persons the new indexes take about a minute to
build (writes to the person table wait meanwhile)."""

import django.db.models.deletion
import django.db.models.functions.text
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

import minzheng.registry.search_indexes


class TrigramExtensionKept(TrigramExtension):
    """``CREATE EXTENSION IF NOT EXISTS pg_trgm`` on PostgreSQL (a no-op
    elsewhere); going back keeps it (other database objects may use it, and
    Django's own backwards step would query ``pg_extension`` on SQLite too)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        return


# Django gives every indexed or unique CharField (and a foreign key to a text
# primary key) a second ``_like`` (varchar_pattern_ops) index for LIKE. Nothing
# matches these columns by pattern: the blind index is only ever compared
# whole, the division codes by equality or IN.
_PATTERN_COPIES = ("id_number_index", "committee", "hukou_street")


def _drop_pattern_copies(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    person = apps.get_model("registry", "Person")
    for field_name in _PATTERN_COPIES:
        column = person._meta.get_field(field_name).column
        name = schema_editor._create_index_name(person._meta.db_table, [column], suffix="_like")
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def _restore_pattern_copies(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    person = apps.get_model("registry", "Person")
    for field_name in _PATTERN_COPIES:
        schema_editor.execute(schema_editor._create_like_index_sql(person, person._meta.get_field(field_name)))


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0006_api_token_password_stamp'),
        ('registry', '0006_person_unemployment_subsidy'),
    ]

    operations = [
        TrigramExtensionKept(),
        migrations.RunPython(_drop_pattern_copies, _restore_pattern_copies),
        migrations.RemoveIndex(
            model_name='person',
            name='registry_pe_name_9568c9_idx',
        ),
        migrations.RemoveIndex(
            model_name='person',
            name='registry_pe_committ_7848ab_idx',
        ),
        migrations.AlterField(
            model_name='person',
            name='name_initials',
            field=models.CharField(max_length=32, verbose_name='姓名首字母'),
        ),
        migrations.AlterField(
            model_name='person',
            name='name_pinyin',
            field=models.CharField(max_length=128, verbose_name='姓名全拼'),
        ),
        migrations.AlterField(
            model_name='person',
            name='street',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.division', verbose_name='居住街镇'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=minzheng.registry.search_indexes.ByteOrderIndex(byte_order=['name'], condition=models.Q(('merged_into__isnull', True)), fields=['name', 'birth_date', 'id'], name='person_name_order'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=minzheng.registry.search_indexes.ByteOrderIndex(byte_order=['name'], condition=models.Q(('merged_into__isnull', True)), fields=['street', 'name', 'birth_date', 'id'], name='person_street_name_order'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=minzheng.registry.search_indexes.TrigramIndex(condition=models.Q(('merged_into__isnull', True)), fields=['name'], name='person_name_trgm'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=minzheng.registry.search_indexes.ByteOrderIndex(byte_order=['name_pinyin'], condition=models.Q(('merged_into__isnull', True)), fields=['name_pinyin', 'id'], name='person_pinyin_order'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=minzheng.registry.search_indexes.ByteOrderIndex(byte_order=['name_pinyin'], condition=models.Q(('merged_into__isnull', True)), fields=['street', 'name_pinyin', 'id'], name='person_street_pinyin_order'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=minzheng.registry.search_indexes.ByteOrderIndex(byte_order=['name_initials', 'name_pinyin'], condition=models.Q(('merged_into__isnull', True)), fields=['name_initials', 'name_pinyin', 'id'], name='person_initials_order'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=minzheng.registry.search_indexes.ByteOrderIndex(byte_order=['name_initials', 'name_pinyin'], condition=models.Q(('merged_into__isnull', True)), fields=['street', 'name_initials', 'name_pinyin', 'id'], name='person_street_initials_order'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(django.db.models.functions.text.Substr('id_number_masked', 1, 6), models.F('birth_date'), models.F('id'), condition=models.Q(('merged_into__isnull', True)), name='person_id_area_birth'),
        ),
    ]
