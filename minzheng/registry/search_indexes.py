"""Index kinds for the person search that PostgreSQL has and SQLite has not
(docs/adr/0020-person-search-indexes.md).

* ``ByteOrderIndex``: a B-tree whose text columns sort in byte (code point)
  order — ``COLLATE "C"`` on PostgreSQL — so one index serves both a prefix
  match (``name LIKE '张%'``) and ``ORDER BY name COLLATE "C"`` with a LIMIT.
  Code point order is SQLite's own (BINARY), so there it is a plain index and
  both databases list the same rows in the same order.
* ``TrigramIndex``: a ``pg_trgm`` GIN index for ``name LIKE '%…%'`` (three
  characters or more). SQLite has no such index: there it is a plain B-tree on
  the same column (harmless; SQLite scans for a contains match anyway).

Both declare themselves in the model state as usual, so ``makemigrations``
and ``\\d registry_person`` agree; only the SQL differs by database.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F
from django.db.models.functions import Collate

BYTE_ORDER_COLLATION = "C"


def _is_postgres(schema_editor: Any) -> bool:
    return schema_editor.connection.vendor == "postgresql"


class ByteOrderIndex(models.Index):
    """A B-tree on ``fields`` with the ``byte_order`` ones in code point order
    on PostgreSQL (``COLLATE "C"``); a plain index elsewhere."""

    def __init__(self, *, fields: list[str], name: str, byte_order: list[str], condition: Any = None) -> None:
        super().__init__(fields=fields, name=name, condition=condition)
        self.byte_order = list(byte_order)

    def deconstruct(self) -> tuple[str, tuple, dict[str, Any]]:
        path, args, kwargs = super().deconstruct()
        kwargs["byte_order"] = self.byte_order
        return path, args, kwargs

    def _postgres_index(self) -> models.Index:
        expressions = [Collate(F(f), BYTE_ORDER_COLLATION) if f in self.byte_order else F(f) for f in self.fields]
        return models.Index(*expressions, name=self.name, condition=self.condition)

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        if _is_postgres(schema_editor):
            return self._postgres_index().create_sql(model, schema_editor, using=using, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)


class TrigramIndex(GinIndex):
    """``GIN (field gin_trgm_ops)`` on PostgreSQL (needs the ``pg_trgm``
    extension, created by the same migration); a plain B-tree elsewhere."""

    def __init__(self, *, fields: list[str], name: str, condition: Any = None) -> None:
        super().__init__(fields=fields, name=name, opclasses=["gin_trgm_ops"] * len(fields), condition=condition)

    def deconstruct(self) -> tuple[str, tuple, dict[str, Any]]:
        path, args, kwargs = super().deconstruct()
        kwargs.pop("opclasses", None)
        return path, args, kwargs

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        if _is_postgres(schema_editor):
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = models.Index(fields=self.fields, name=self.name, condition=self.condition)
        return plain.create_sql(model, schema_editor, using=using, **kwargs)
