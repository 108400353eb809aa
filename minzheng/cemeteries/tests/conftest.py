"""Cemetery fixtures: the cemeteries' staff account and a few cemeteries in the
test district's two streets (岳阳街道 310117001, 泗泾镇 310117102)."""

from __future__ import annotations

import pytest

from minzheng.cemeteries.models import Cemetery, CemeteryKind, CemeteryStatus
from minzheng.core.models import Role
from minzheng.core.services import user_create


@pytest.fixture
def cemetery_user(users):
    return user_create(actor="test", username="cemetery", password="pass-12345", role=Role.CEMETERY,
                       scope_code="310117", full_name="钱伟", post="公墓 工作人员")


@pytest.fixture
def sites(district):
    """Created directly (the register's services are tested on their own)."""
    return {
        "commercial": Cemetery.objects.create(name="测试经营性公墓", kind=CemeteryKind.COMMERCIAL_CEMETERY,
                                              street=district["yueyang"], operator="测试陵园有限公司", licence_number="测试批准文号1"),
        "public": Cemetery.objects.create(name="测试泗泾公益性公墓", kind=CemeteryKind.PUBLIC_CEMETERY,
                                          street=district["sijing"], operator="泗泾镇人民政府", licence_number="测试批准文号2"),
        "planned": Cemetery.objects.create(name="测试泗泾公益性骨灰堂", kind=CemeteryKind.PUBLIC_COLUMBARIUM,
                                           street=district["sijing"], operator="泗泾镇人民政府",
                                           status=CemeteryStatus.PLANNED),
    }
