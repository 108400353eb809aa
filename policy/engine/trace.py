"""Trace: every computed value with its inputs and the dated parameters it used.

Only the single-household path records a trace (``evaluate_batch(trace=True)``
on a tiny batch); in the district batch the recorder is ``None`` and every
``EvaluationContext.trace`` call returns immediately.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from policy.engine.parameters import BandTable, ParameterValue
from policy.engine.results import Level
from policy.money import format_fen

ValueSource = NDArray[Any] | Callable[[], NDArray[Any]]


@dataclass(frozen=True)
class TraceNode:
    """One computed (or input) column."""

    name: str
    level: Level
    values: NDArray[Any]
    unit: str  # fen | bool | count | years | percent | code
    inputs: tuple[str, ...]
    parameters: tuple[str, ...]
    note: str
    lookup: tuple[str, NDArray[np.intp]] | None


class TraceRecorder:
    """Collects ``TraceNode``s by name during one evaluation."""

    def __init__(self) -> None:
        self.nodes: dict[str, TraceNode] = {}

    def record(self, node: TraceNode) -> None:
        self.nodes[node.name] = node


def _format(value: Any, unit: str) -> Any:
    if unit == "fen":
        return format_fen(int(value))
    if unit == "bool":
        return bool(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


class TraceRenderer:
    """Turns recorded nodes into nested JSON trees for one household's results.

    Each result gets the full tree rooted at its program node.  Subtrees are
    built once per (node, entity) and shared between results (the same dict
    object), which keeps rendering fast; serialised JSON repeats them.
    """

    def __init__(
        self,
        recorder: TraceRecorder,
        parameters: Mapping[str, ParameterValue | None],
        person_ids: Sequence[str],
        household_index: NDArray[np.int64],
    ) -> None:
        self.nodes = recorder.nodes
        self.parameters = parameters
        self.person_ids = person_ids
        self.household_index = household_index.tolist()
        self.members: dict[int, list[int]] = {}
        for person, household in enumerate(self.household_index):
            self.members.setdefault(household, []).append(person)
        self._trees: dict[tuple[str, str, int], dict[str, Any]] = {}
        self._parameter_json: dict[str, dict[str, Any]] = {}

    def tree(self, name: str, level: Level, row: int) -> dict[str, Any]:
        """The dependency tree of node ``name`` seen from household/person ``row``."""
        node = self.nodes[name]
        if node.level == "household" and level == "person":
            level, row = "household", self.household_index[row]
        key = (name, level, row)
        out = self._trees.get(key)
        if out is None:
            out = self._head(node, key)
            children = [c for c in node.inputs if c in self.nodes]
            if children:
                out["inputs"] = [self.tree(child, level, row) for child in children]
            self._trees[key] = out
        return out

    def _head(self, node: TraceNode, key: tuple[str, str, int]) -> dict[str, Any]:
        _, level, row = key
        head: dict[str, Any] = {"name": node.name, "value": self._value(node, level, row)}
        if node.note:
            head["note"] = node.note
        if node.parameters:
            head["parameters"] = [self._parameter(p) for p in node.parameters]
        if node.lookup is not None:
            head["lookup"] = self._lookup(node, level, row)
        return head

    def _value(self, node: TraceNode, level: str, row: int) -> Any:
        if node.level == "person" and level == "household":
            return {self.person_ids[i]: _format(node.values[i], node.unit) for i in self.members[row]}
        return _format(node.values[row], node.unit)

    def _parameter(self, name: str) -> dict[str, Any]:
        cached = self._parameter_json.get(name)
        if cached is not None:
            return cached
        value = self.parameters.get(name)
        if value is None:
            cached = {"name": name, "value": None, "effective": None, "missing": True}
        else:
            cached = {
                "name": name,
                "value": value.value_json(),
                "effective": value.effective.isoformat(),
                "reference": value.reference,
                "verified": value.verified,
            }
        self._parameter_json[name] = cached
        return cached

    def _lookup(self, node: TraceNode, level: str, row: int) -> dict[str, Any]:
        assert node.lookup is not None
        name, matched = node.lookup
        value = self.parameters.get(name)
        table = value.value if value is not None else None

        def describe(i: int) -> Any:
            if not isinstance(table, BandTable) or matched[i] < 0:
                return None
            lower, amount = table.rows[int(matched[i])]
            return {"row": int(matched[i]), table.key: lower, table.value: str(amount)}

        out: dict[str, Any] = {
            "parameter": name,
            "effective": value.effective.isoformat() if value is not None else None,
        }
        if level == "household":
            out["matched"] = {self.person_ids[i]: describe(i) for i in self.members[row]}
        else:
            out["matched"] = describe(row)
        return out
