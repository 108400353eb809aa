"""The demo district generator: determinism, valid data, tree, re-runs, calibration."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from minzheng.core.models import AuditEntry, Division, DivisionKind, DivisionLevel
from minzheng.core.personal_data import decrypt
from minzheng.demo import runs
from minzheng.demo.calibration import SEED_2023, calibration_counts, scaled
from minzheng.demo.committees import committee_plan
from minzheng.demo.generator import DemoDataError, generate_demo_data
from minzheng.demo.simulation import Tree, draw_chunks
from minzheng.registry.models import Household, HouseholdMembership, Person, ResidenceChange
from minzheng.registry.services import parse_id_number

N = 3000


def _people(seed: int) -> list[tuple[str, str]]:
    return [(p.name, decrypt(p.id_number_enc)) for p in Person.objects.order_by("id")[:300]]


@pytest.fixture
def demo(db):
    return generate_demo_data(persons=N, seed=7, chunk_households=600)


def test_committee_plan_counts_and_codes():
    plans = committee_plan()
    villages = [p for p in plans if p.village]
    residents = [p for p in plans if not p.village]
    assert len(residents) == 300 and len(villages) == 80
    assert len({p.code for p in plans}) == len(plans)
    assert all(len(p.code) == 12 and p.code.startswith(p.street_code) for p in plans)
    assert all(p.code[9] == "2" and p.name.endswith("村委会") for p in villages)
    assert all(p.code[9] in "01" and p.name.endswith("居委会") for p in residents)
    assert committee_plan() == plans  # fixed, independent of --seed


def test_simulation_is_deterministic_and_exact():
    tree = Tree.build()
    a = [d.chunk.birth_day.tolist() for d in draw_chunks(5000, 3, tree, chunk_households=700)]
    b = [d.chunk.birth_day.tolist() for d in draw_chunks(5000, 3, tree, chunk_households=700)]
    assert a == b
    assert sum(len(x) for x in a) == 5000


def test_tree_persons_and_households(demo):
    assert demo.persons == N == Person.objects.count()
    committees = Division.objects.filter(level=DivisionLevel.COMMITTEE)
    assert committees.filter(kind=DivisionKind.RESIDENTS).count() == 300
    assert committees.filter(kind=DivisionKind.VILLAGE).count() == 80
    assert all(c.code.startswith(c.parent_id) for c in committees)
    for person in Person.objects.order_by("?")[:200]:
        facts = parse_id_number(decrypt(person.id_number_enc))
        assert facts.birth_date == person.birth_date and facts.sex == person.sex
        assert person.committee.parent_id == person.street_id
    # Every living person in exactly one current household; the dead in none.
    current = HouseholdMembership.objects.filter(end_date__isnull=True)
    assert current.count() == Person.objects.filter(alive=True).count()
    assert current.values("person").distinct().count() == current.count()
    assert not current.filter(person__alive=False).exists()
    assert Person.objects.filter(alive=False, death_date__isnull=False).count() == Person.objects.filter(alive=False).count()
    assert ResidenceChange.objects.exists()
    assert HouseholdMembership.objects.filter(end_reason="分户迁出").exists()


def test_age_structure_about_a_quarter_60_plus(demo):
    living = Person.objects.filter(alive=True)
    cutoff = dt.date(1965, 8, 31)
    share = living.filter(birth_date__lte=cutoff).count() / living.count()
    assert 0.20 <= share <= 0.30
    hukou = living.filter(hukou_shanghai=True).count() / living.count()
    assert 0.25 <= hukou <= 0.45


def test_same_seed_same_people(db):
    generate_demo_data(persons=800, seed=11, chunk_households=300)
    first = _people(11)
    generate_demo_data(persons=800, seed=11, replace=True, chunk_households=300)
    assert _people(11) == first
    assert Person.objects.count() == 800
    generate_demo_data(persons=800, seed=12, replace=True, chunk_households=300)
    assert _people(12) != first


def test_rerun_skips_and_replace_regenerates(demo):
    again = generate_demo_data(persons=N, seed=7, chunk_households=600)
    assert again.skipped and Person.objects.count() == N
    assert AuditEntry.objects.filter(action="demo_data.generate").count() == 1
    call_command("demo_data", "--persons", "500", "--seed", "7", "--replace")
    assert Person.objects.count() == 500
    assert Household.objects.count() < 500
    assert Division.objects.filter(level=DivisionLevel.COMMITTEE).count() == 380


def test_interrupted_run_is_detected(db):
    runs.record_start(actor="test", seed=1, persons=100, planned_ranges={
        key: [1, 200] for key in ("person", "household", "membership", "disability", "move")
    })
    with pytest.raises(DemoDataError, match="--replace"):
        generate_demo_data(persons=100, seed=1)
    with pytest.raises(CommandError):
        call_command("demo_data", "--persons", "100")
    summary = generate_demo_data(persons=100, seed=1, replace=True)
    assert summary.persons == 100 and not summary.skipped


@pytest.mark.django_db
def test_scaled_calibration_within_loose_bounds():
    persons = 20_000
    generate_demo_data(persons=persons, seed=2024)
    measured = scaled(calibration_counts(dt.date(2025, 8, 1)), persons)
    for key in ("elderly_allowance", "dibao_persons", "severe_disability_unemployed", "children_in_difficulty"):
        target = SEED_2023[key]
        assert 0.5 * target <= measured[key] <= 1.6 * target, (key, measured[key], target)
    assert measured["elderly_allowance"] == pytest.approx(SEED_2023["elderly_allowance"], rel=0.1)


def test_command_reports_its_stages_as_plain_lines_when_not_on_a_terminal(db):
    # given no terminal (a captured stream), when the command runs, then each stage is a log line
    err = io.StringIO()
    call_command("demo_data", "--persons", "400", "--seed", "3", "--chunk-households", "100", stderr=err)
    lines = err.getvalue().splitlines()
    assert any(line.endswith("准备区划与居村委") for line in lines)
    assert any(line.endswith("生成人员与家庭 400/400") for line in lines)
    assert lines[-1].endswith("完成 400/400")
    assert "\x1b[" not in err.getvalue()  # no bar, no colours
