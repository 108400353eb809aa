"""Documents and pages name staff by name and post, never by account name."""

import pytest

from minzheng.core.selectors import staff_signature
from minzheng.core.services import user_create


@pytest.mark.django_db
def test_signature_is_name_and_post(users):
    user_create(actor="test", username="wangmin", password="pass-12345", role="street", scope_code="310117001",
                full_name="王敏", post="岳阳街道社区事务受理服务中心 社会救助专员")
    assert staff_signature("wangmin") == "王敏（岳阳街道社区事务受理服务中心 社会救助专员）"
    assert staff_signature("street") == "（未登记姓名的工作人员）"  # an account without a name
    assert staff_signature("cli") == "命令行任务"
    assert "street" not in staff_signature("street")
