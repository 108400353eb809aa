import pytest
from django.core.exceptions import ValidationError

from minzheng.core.models import Division, DivisionLevel
from minzheng.core.services import division_load_tree, user_create


@pytest.mark.django_db
def test_tree_loads_17_streets_idempotently():
    division_load_tree(actor="t")
    division_load_tree(actor="t")
    streets = Division.objects.filter(level=DivisionLevel.STREET)
    assert streets.count() == 17
    assert Division.objects.get(code="310117121").name == "小昆山镇"
    assert all(s.parent_id == "310117" for s in streets)


@pytest.mark.django_db
def test_role_must_match_scope_level(district):
    with pytest.raises(ValidationError, match="街镇账号的辖区必须是街镇"):
        user_create(actor="t", username="x", password="pass-12345", role="street", scope_code="310117")
    with pytest.raises(ValidationError, match="不存在"):
        user_create(actor="t", username="x", password="pass-12345", role="bureau", scope_code="999999")
    user = user_create(actor="t", username="x", password="pass-12345", role="committee", scope_code="310117001001")
    assert user.check_password("pass-12345")
    with pytest.raises(ValidationError, match="已存在"):
        user_create(actor="t", username="x", password="pass-12345", role="committee", scope_code="310117001001")
