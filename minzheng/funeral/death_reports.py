"""The seam to the deaths app: when an order's cremation is done (火化完成),
the death is reported to ``minzheng.deaths`` as a funeral home's report
(``death_report(actor, source="funeral_home", …, reference=<order number>)``).

**Not connected yet**: until the deaths app is merged nothing is reported and
the order says so (「死亡信息报送模块尚未接入」).
"""

from __future__ import annotations

from minzheng.funeral.models import FuneralOrder

NOT_CONNECTED = "死亡信息报送模块尚未接入，未报送"


def death_report_for(*, actor, order: FuneralOrder, id_number: str) -> str:
    """Report the death; returns the reference of the death record ("" when none)."""
    return ""
