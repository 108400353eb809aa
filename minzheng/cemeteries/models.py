"""Cemeteries and columbaria (公墓和骨灰堂) of the district: the register, its
sections and plot types with capacity/sold/used counts, price lists, the
bureau's price caps (价格管控) and the yearly inspection (公墓年检).

Decisions: docs/adr/0025-cemeteries.md. The bureau's 2023 report asks for
"落实经营性公墓价格管控" and "开展全区殡葬服务单位年度验审"; the 2024 plan for
"扎实做好公墓年检工作" and "完成街镇公益性骨灰堂选址布点" (a columbarium
being sited is registered with status 规划中).

:class:`Cemetery` is a public interface (the sweeping helper builds tomb-sweeping
reservations per cemetery): keep its name and fields stable.
"""

from __future__ import annotations

from django.db import models

from minzheng.core.models import Division


class CemeteryKind(models.TextChoices):
    """经营性 (commercial, prices under the bureau's caps) or 公益性 (public
    welfare, for the residents of its town, prices set by the authorities);
    公墓 (graves) or 骨灰堂 (a columbarium: niches in a building)."""

    COMMERCIAL_CEMETERY = "commercial_cemetery", "经营性公墓"
    PUBLIC_CEMETERY = "public_cemetery", "公益性公墓"
    COMMERCIAL_COLUMBARIUM = "commercial_columbarium", "经营性骨灰堂"
    PUBLIC_COLUMBARIUM = "public_columbarium", "公益性骨灰堂"


COMMERCIAL_KINDS = (CemeteryKind.COMMERCIAL_CEMETERY, CemeteryKind.COMMERCIAL_COLUMBARIUM)
PUBLIC_KINDS = (CemeteryKind.PUBLIC_CEMETERY, CemeteryKind.PUBLIC_COLUMBARIUM)


class CemeteryStatus(models.TextChoices):
    OPEN = "open", "在营"
    PLANNED = "planned", "规划中"  # being sited or built (街镇公益性骨灰堂选址布点)
    CLOSED = "closed", "停业"


class Cemetery(models.Model):
    """One cemetery or columbarium, in one street/town (``street``: a core
    Division of level street), run by ``operator``."""

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=32, choices=CemeteryKind.choices)
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="所在街镇")
    operator = models.CharField("经营（管理）单位", max_length=100)
    address = models.CharField("地址", max_length=200, blank=True)
    licence_number = models.CharField("批准文号", max_length=100, blank=True)
    status = models.CharField("状态", max_length=16, choices=CemeteryStatus.choices, default=CemeteryStatus.OPEN)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["street_id", "name"]
        verbose_name = "公墓或骨灰堂"
        verbose_name_plural = "公墓和骨灰堂"
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=[k.value for k in CemeteryKind]),
                                   name="cemetery_kind_known"),
            models.CheckConstraint(condition=models.Q(status__in=[s.value for s in CemeteryStatus]),
                                   name="cemetery_status_known"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_commercial(self) -> bool:
        """经营性: its prices are under the bureau's caps (ADR 0025)."""
        return self.kind in COMMERCIAL_KINDS

    @property
    def is_columbarium(self) -> bool:
        return self.kind in (CemeteryKind.COMMERCIAL_COLUMBARIUM, CemeteryKind.PUBLIC_COLUMBARIUM)
