"""Demo care-needs assessments (ADR 0031): elders of dibao / low-income
households and a few others get one, labelled 演示, so the month's batch shows
养老服务补贴; once; replacing the demo population removes them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from minzheng.core.models import AuditEntry
from minzheng.demo.care_assessments import care_assessments_seed
from minzheng.demo.generator import delete_demo_data
from minzheng.eligibility.services import month_evaluate
from minzheng.registry.models import CareAssessmentSource, CareNeedsAssessment

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 9, 20)


def test_demo_assessments_give_the_batch_elderly_care_subsidy_results():
    call_command("demo_data", persons=3000, seed=2024, stdout=io.StringIO())
    line = care_assessments_seed(seed=2024, today=TODAY)
    assessments = CareNeedsAssessment.objects.all()
    assert assessments.count() > 0 and "演示照护需求评估" in line
    assert not assessments.exclude(source=CareAssessmentSource.DEMO).exists()
    assert all(a.assessor_org.endswith("（演示）") for a in assessments)
    assert set(assessments.values_list("level", flat=True)) <= set(range(1, 7))
    assert all(a.assessed_on <= TODAY for a in assessments)
    assert AuditEntry.objects.filter(action="person.care_assessment_seed_demo").count() == 1
    # once
    assert care_assessments_seed(seed=2024, today=TODAY) == "演示照护需求评估已存在，跳过"
    # the month's batch pays some of them
    result = month_evaluate("2025-09").batch.programs["elderly_care_subsidy"]
    assert result.eligible.sum() > 0
    assert set(result.amount_fen[result.eligible].tolist()) <= {111_000, 103_600, 74_000, 88_800, 44_400}
    # replacing the demo population removes its assessments (they would block deleting the persons)
    delete_demo_data()
    assert not CareNeedsAssessment.objects.exists()
