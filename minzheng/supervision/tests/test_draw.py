"""The 双随机 draw (ADR 0030): reproducible from plan, pool and seed; the
snapshot's hash changes with the pool; exclusions honoured; a street plan
draws only that street; recorded once; the command prints sorted JSON."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from minzheng.core.models import AuditEntry
from minzheng.supervision import services
from minzheng.supervision.draw import run_draw
from minzheng.supervision.models import ExclusionReason, Inspection, InspectorKind
from minzheng.supervision.selectors import draw_snapshot

pytestmark = pytest.mark.django_db


def _cli(*args) -> str:
    out = io.StringIO()
    call_command("elderly_draw", *args, stdout=out)
    return out.getvalue()


def test_same_plan_pool_and_seed_give_the_same_draw_and_json(homes, pool, make_plan):
    plan = make_plan(n=3, k=2)
    first = _cli("--plan", str(plan.pk), "--seed", "7")
    assert first == _cli("--plan", str(plan.pk), "--seed", "7")
    data = json.loads(first)
    assert list(data) == sorted(data) and "测试" in first  # sorted keys, Chinese not escaped
    assert len(data["assignments"]) == 3
    assert all(len(a["inspectors"]) == 2 for a in data["assignments"])
    drawn = {a["institution"] for a in data["assignments"]}
    assert drawn <= {homes[k].pk for k in "abcd"}  # never a closed home or a station
    others = {json.dumps(services.draw_preview(plan, s)["assignments"]) for s in range(1, 30)}
    assert len(others) > 1  # the seed matters
    assert not plan.inspections.exists()  # printing records nothing


def test_the_draw_is_re_runnable_from_the_documented_algorithm(homes, pool, make_plan):
    """ADR 0030, by hand: random.Random(seed).sample over the sorted ids."""
    import random

    plan = make_plan(n=2, k=1)
    snapshot = draw_snapshot(plan)
    rng = random.Random(11)
    institutions = rng.sample(sorted(i["id"] for i in snapshot["institutions"]), 2)
    expected = [(f, sorted(rng.sample(sorted(i["id"] for i in snapshot["inspectors"]), 1))) for f in institutions]
    got = run_draw(snapshot, 11)
    assert [(a["institution"], a["inspectors"]) for a in got["assignments"]] == expected


def test_a_different_pool_gives_a_different_recorded_hash(users, homes, pool, make_plan):
    one, two = make_plan(), make_plan(name="另一计划")
    services.draw_record(actor=users["bureau"], plan=one, seed=5)
    services.inspector_add(actor=users["bureau"], name="赵专家", kind=InspectorKind.EXPERT)
    services.draw_record(actor=users["bureau"], plan=two, seed=5)
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.snapshot_sha256 != two.snapshot_sha256 and len(one.snapshot_sha256) == 64
    assert services.draw_verify(one) == [] and services.draw_verify(two) == []


def test_exclusions_are_honoured_and_an_impossible_draw_is_refused(users, homes, pool, make_plan):
    for inspector in pool[:3]:
        services.exclusion_add(actor=users["bureau"], inspector=inspector, facility=homes["a"],
                               reason=ExclusionReason.WORKED)
    plan = make_plan(n=4, k=1)
    for seed in range(20):
        result = services.draw_preview(plan, seed)
        row = next(a for a in result["assignments"] if a["institution"] == homes["a"].pk)
        assert row["inspectors"] == [pool[3].pk]
    two = make_plan(n=4, k=2, name="每家两名")
    with pytest.raises(ValidationError, match="测试岳阳养老院可抽取的检查人员只有1名"):
        services.draw_record(actor=users["bureau"], plan=two, seed=1)
    two.refresh_from_db()
    assert two.draw is None


def test_a_street_plan_draws_only_that_street(users, district, homes, pool, make_plan):
    plan = make_plan(street=district["sijing"], n=2, k=1)
    for seed in range(10):
        drawn = {a["institution"] for a in services.draw_preview(plan, seed)["assignments"]}
        assert drawn == {homes["c"].pk, homes["d"].pk}
    too_many = make_plan(street=district["sijing"], n=3, k=1)
    with pytest.raises(ValidationError, match="只有2家"):
        services.draw_preview(too_many, 1)


def test_the_draw_is_recorded_once_audited_and_verifiable(users, homes, pool, make_plan):
    plan = make_plan(n=2, k=2)
    printed = json.loads(_cli("--plan", str(plan.pk), "--seed", "42"))
    services.draw_record(actor=users["bureau"], plan=plan, seed=42)
    plan.refresh_from_db()
    assert plan.draw == printed and plan.seed == 42 and plan.status == "drawn"
    assert Inspection.objects.filter(plan=plan).count() == 2
    assert AuditEntry.objects.filter(action="supervision.draw_record", object_id=str(plan.pk)).count() == 1
    with pytest.raises(ValidationError, match="已抽取"):
        services.draw_record(actor=users["bureau"], plan=plan, seed=43)
    assert "核验通过" in _cli("--plan", str(plan.pk), "--verify")
    plan.draw["assignments"][0]["inspectors"] = [999]
    plan.save()
    with pytest.raises(CommandError, match="不一致"):
        _cli("--plan", str(plan.pk), "--verify")


def test_only_the_bureau_plans_and_draws(users, homes, pool, make_plan):
    from minzheng.core.permissions import NotPermitted

    plan = make_plan()
    with pytest.raises(NotPermitted):
        services.draw_record(actor=users["street"], plan=plan, seed=1)
