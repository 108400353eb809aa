"""Form fields shared by the pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


class FiniteDecimalField(forms.DecimalField):
    """A ``DecimalField`` that refuses NaN, sNaN and Infinity already in
    ``to_python``: Django's own field lets them through to ``validate`` and,
    before that, ``has_changed`` (called for every extra form of a formset)
    compares a signalling NaN with the initial value and raises
    ``decimal.InvalidOperation`` — a 500."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not value.is_finite():
            raise ValidationError("请输入一个有限的数字", code="invalid")
        return value
