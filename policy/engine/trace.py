"""Trace: every computed value with its inputs and the dated parameters it used.

Only the single-household path records a trace (``evaluate_batch(trace=True)``
on a tiny batch); in the district batch the recorder is ``None`` and every
``EvaluationContext.trace`` call returns immediately.

Output shape (policy/README.md "Trace"): the nodes are shared, not repeated
per result.  ``household_output`` adds one ``trace_nodes`` table keyed by node
id (the node's name, e.g. ``dibao.per_capita_income``) and each result's
``trace`` is the id of its root node (the program id)::

    "trace_nodes": {
      "dibao": {"value": true, "note": "…", "inputs": ["dibao.amount", "dibao.reasons"]},
      "input.monthly_income": {"value": {"p1": "800.00", "p2": "0.00"}, "note": "输入"},
      "dibao.income_below_standard": {"value": true, "parameters": [{name, value, effective,
                                      reference, verified}], "inputs": ["dibao.per_capita_income"]},
      "elderly_allowance.band_amount": {"value": {"p1": "180.00"}, "lookup": {"parameter": …,
                                        "effective": …, "matched": {"p1": {"row", "min_age", "amount"}}}}
    }

A household-level node's ``value`` is a scalar; a person-level node's is
``{person_id: value}`` (the result row names its person).  ``nested(nodes,
root)`` rebuilds the old nested tree for a reader that wants one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from policy.engine.parameters import BandTable, ParameterValue
from policy.engine.results import Level
from policy.money import format_fen

ValueSource = NDArray[Any] | Callable[[], NDArray[Any]]


class TraceNode(NamedTuple):
    """One computed (or input) column, its values listed when recorded (a snapshot)."""

    name: str
    level: Level
    values: list[Any]
    unit: str  # fen | bool | count | years | percent | code | date
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


def _yuan(fen: int) -> str:
    if fen < 0:
        return format_fen(fen)
    whole, cents = divmod(fen, 100)
    return f"{whole}.{cents:02d}"


def _formatted(node: TraceNode) -> list[Any]:
    """The node's values for JSON: money as yuan strings, flags as bools, dates ISO."""
    unit = node.unit
    values = node.values
    if unit == "date":  # listed as datetime.date: str() is the ISO date
        return [None if value is None else str(value) for value in values]  # NaT lists as None
    if unit == "fen":
        return [_yuan(value) for value in values]
    if unit == "bool" and values and type(values[0]) is not bool:  # a bool column lists as bools already
        return [bool(value) for value in values]
    return values


class TraceRenderer:
    """Turns recorded nodes into the shared ``trace_nodes`` table of one household.

    Every recorded node is rendered once, in recording order (inputs first,
    then the programs in dependency order); values of person-level nodes are
    keyed by person id.  Results refer to their root node by id.
    """

    def __init__(
        self,
        recorder: TraceRecorder,
        parameters: Mapping[str, ParameterValue | None],
        person_ids: Sequence[str],
        household_index: NDArray[np.int64],
    ) -> None:
        self.parameters = parameters
        self.person_ids = list(person_ids)
        if len(set(household_index.tolist())) > 1:
            raise ValueError("a trace is rendered for one household")
        self._parameter_json: dict[str, dict[str, Any]] = {}
        recorded = recorder.nodes
        ids = self.person_ids
        parameter = self._parameter
        nodes: dict[str, dict[str, Any]] = {}
        for name, node in recorded.items():
            values = _formatted(node)
            out: dict[str, Any] = {"value": dict(zip(ids, values, strict=True)) if node.level == "person" else values[0]}
            if node.note:
                out["note"] = node.note
            if node.parameters:
                out["parameters"] = [parameter(p) for p in node.parameters]
            if node.lookup is not None:
                out["lookup"] = self._lookup(node)
            if node.inputs:
                children = [child for child in node.inputs if child in recorded]
                if children:
                    out["inputs"] = children
            nodes[name] = out
        self.nodes = nodes

    def root(self, name: str) -> str:
        """The node id of ``name`` (a program's root node) in ``nodes``."""
        if name not in self.nodes:
            raise KeyError(name)
        return name

    def _parameter(self, name: str) -> dict[str, Any]:
        cached = self._parameter_json.get(name)
        if cached is None:
            value = self.parameters.get(name)
            cached = ({"name": name, "value": None, "effective": None, "missing": True} if value is None
                      else dict(value.trace_json))
            self._parameter_json[name] = cached
        return cached

    def _lookup(self, node: TraceNode) -> dict[str, Any]:
        assert node.lookup is not None
        name, matched = node.lookup
        value = self.parameters.get(name)
        table = value.value if value is not None else None

        def describe(row: int) -> Any:
            if not isinstance(table, BandTable) or row < 0:
                return None
            lower, amount = table.rows[row]
            return {"row": row, table.key: lower, table.value: str(amount)}

        rows = matched.tolist()
        return {
            "parameter": name,
            "effective": value.effective.isoformat() if value is not None else None,
            "matched": ({pid: describe(r) for pid, r in zip(self.person_ids, rows, strict=True)}
                        if node.level == "person" else describe(rows[0])),
        }


def nested(nodes: Mapping[str, Mapping[str, Any]], root: str) -> dict[str, Any]:
    """The nested tree under ``root`` of a ``trace_nodes`` table: each node with its
    ``name`` and its ``inputs`` replaced by their trees (shared subtrees repeat)."""
    node = nodes[root]
    tree: dict[str, Any] = {"name": root, **{k: v for k, v in node.items() if k != "inputs"}}
    if "inputs" in node:
        tree["inputs"] = [nested(nodes, child) for child in node["inputs"]]
    return tree
