"""Filters of the jobs list: kind and status."""

from __future__ import annotations

from typing import Any

import django_filters

from minzheng.jobs import kinds
from minzheng.jobs.models import Job, JobStatus


class JobFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="作业", choices=[], empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=JobStatus.choices, empty_label="全部")

    class Meta:
        model = Job
        fields = ["kind", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["kind"].extra["choices"] = [(k.code, k.label) for k in kinds.all_kinds()]
