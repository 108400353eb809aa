from django.apps import AppConfig
from django.db.models.signals import pre_save


def _refuse_overlong_text(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    """Every ``save()``/``objects.create()`` of every model: text longer than
    its column is a Chinese ``ValidationError`` naming the field (SQLite does
    not enforce ``max_length``; PostgreSQL would fail with a 500)."""
    if raw:  # fixtures are loaded as they are
        return
    from minzheng.core.bounds import lengths_check

    lengths_check(instance, list(update_fields) if update_fields else None)


class CoreConfig(AppConfig):
    name = "minzheng.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        pre_save.connect(_refuse_overlong_text, dispatch_uid="minzheng.core.refuse_overlong_text")
