"""Dated parameters: one YAML file per parameter, values keyed by effective date.

File format (``policy/parameters/<group>/<name>.yaml``; the parameter is named
``<group>.<name>``)::

    description: 上海城乡居民最低生活保障标准
    unit: yuan_per_month          # yuan_per_month | yuan_per_year | yuan | ratio | percent | flag
    reference: 社会救助暂行办法（国务院令第649号）第9-13条
    verified: false               # true only when every value below is official
    table: {key: min_age, value: amount}   # only for lookup tables (inclusive lower bounds)
    values:
      2019-04-01: {value: 1160, sureness: official, verified: true, source: shine.cn 2019-04}
      2026-01-01: null            # ends the previous value

A value is in force from its date until the next date.  Looking a date up before
the first value or after a ``null`` returns ``None``; programs turn that into the
reason ``PARAMETER_MISSING`` (project convention: missing is never zero).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from numpy.typing import NDArray

from policy.errors import ParameterFileError
from policy.money import decimal_to_fen
from policy.months import Month

DEFAULT_DIRECTORY = Path(__file__).resolve().parent.parent / "parameters"
UNITS = ("yuan_per_month", "yuan_per_year", "yuan", "ratio", "percent", "flag")
SURENESS = ("official", "secondary", "assumption")


@dataclass(frozen=True)
class BandTable:
    """A lookup table with inclusive lower bounds (NOT a cumulative scale).

    Row *i* applies to keys in ``[lower[i], lower[i+1])``; keys below the first
    bound match no row.
    """

    key: str
    value: str
    rows: tuple[tuple[int, Decimal], ...]

    def lookup(self, keys: NDArray[np.integer[Any]]) -> NDArray[np.intp]:
        """Index of the matching row for each key, −1 when below the first bound."""
        bounds = np.array([lower for lower, _ in self.rows], dtype=np.int64)
        return np.searchsorted(bounds, keys, side="right") - 1

    def as_json(self) -> list[dict[str, Any]]:
        return [{self.key: lower, self.value: str(amount)} for lower, amount in self.rows]


ParameterData = Decimal | bool | BandTable


@dataclass(frozen=True)
class ParameterEntry:
    """One dated entry of a parameter's timeline; ``value`` None ends the previous value."""

    effective: date
    value: ParameterData | None
    sureness: str | None
    verified: bool
    source: str
    note: str


@dataclass(frozen=True)
class ParameterValue:
    """The value of a parameter in force on a date, with its provenance."""

    name: str
    value: ParameterData
    effective: date
    until: date | None
    unit: str
    reference: str
    sureness: str
    verified: bool
    source: str
    note: str

    def value_json(self) -> Any:
        return value_json(self.value)

    @functools.cached_property
    def fen(self) -> int:
        """A money value in fen (converted once; raises unless a whole number of fen)."""
        assert isinstance(self.value, Decimal), self.name
        return decimal_to_fen(self.value)

    @functools.cached_property
    def trace_json(self) -> dict[str, Any]:
        """The value as a trace node shows it (shared: copy before changing)."""
        return {"name": self.name, "value": self.value_json(), "effective": self.effective.isoformat(),
                "reference": self.reference, "verified": self.verified}

    def as_json(self) -> dict[str, Any]:
        """The shape stored with every decision (``results[].parameters[]``); a fresh dict."""
        return dict(self._json)

    @functools.cached_property
    def _json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value_json(),
            "unit": self.unit,
            "effective": self.effective.isoformat(),
            "reference": self.reference,
            "verified": self.verified,
            "sureness": self.sureness,
            "source": self.source,
        }


def value_json(value: ParameterData | None) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, BandTable):
        return value.as_json()
    return str(value)


@dataclass(frozen=True)
class Parameter:
    """A parameter with its metadata and full timeline."""

    name: str
    description: str
    unit: str
    reference: str
    verified: bool
    entries: tuple[ParameterEntry, ...]

    def at(self, day: date) -> ParameterValue | None:
        """The value in force on ``day``, or ``None`` when none is."""
        dates = [entry.effective for entry in self.entries]
        position = bisect.bisect_right(dates, day) - 1
        if position < 0:
            return None
        entry = self.entries[position]
        if entry.value is None or entry.sureness is None:
            return None
        until = self.entries[position + 1].effective if position + 1 < len(self.entries) else None
        return ParameterValue(
            name=self.name,
            value=entry.value,
            effective=entry.effective,
            until=until,
            unit=self.unit,
            reference=self.reference,
            sureness=entry.sureness,
            verified=entry.verified,
            source=entry.source,
            note=entry.note,
        )

    def canonical(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "unit": self.unit,
            "reference": self.reference,
            "verified": self.verified,
            "values": [
                {
                    "effective": e.effective.isoformat(),
                    "value": value_json(e.value),
                    "sureness": e.sureness,
                    "verified": e.verified,
                    "source": e.source,
                    "note": e.note,
                }
                for e in self.entries
            ],
        }


def _sha256(content: Any) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ParameterSet:
    """All parameters, looked up by name and date.

    Hashes: ``hash`` covers the whole set (every file, every date, all metadata);
    ``hash_for(month)`` covers only what is in force on the 1st of ``month``
    (each parameter's in-force value with its provenance, or null when missing).
    Decisions store ``hash_for(month)``: it changes exactly when something that
    could change that month's decision changes, and stays stable when, say, a
    later year's value is added.
    """

    def __init__(self, parameters: Mapping[str, Parameter], directory: Path | None = None) -> None:
        self._parameters = dict(sorted(parameters.items()))
        self.directory = directory
        self.hash = _sha256([p.canonical() for p in self._parameters.values()])
        self._in_force: dict[Month, dict[str, ParameterValue | None]] = {}
        self._hash_for: dict[Month, str] = {}

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self._parameters.values())

    def __len__(self) -> int:
        return len(self._parameters)

    def __contains__(self, name: object) -> bool:
        return name in self._parameters

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name`` (KeyError if unknown)."""
        return self._parameters[name]

    def get(self, name: str, when: date | str) -> ParameterValue | None:
        """Value in force on ``when`` (a date, ``YYYY-MM-DD`` or ``YYYY-MM`` = its 1st), or None."""
        return self._parameters[name].at(_as_date(when))

    def timeline(self, name: str) -> tuple[ParameterEntry, ...]:
        """Every dated entry of ``name`` in date order (``value`` None marks an end)."""
        return self._parameters[name].entries

    def in_force(self, month: Month) -> dict[str, ParameterValue | None]:
        """Every parameter's value in force on the 1st of ``month`` (cached)."""
        cached = self._in_force.get(month)
        if cached is None:
            day = month.first_day
            cached = {name: p.at(day) for name, p in self._parameters.items()}
            self._in_force[month] = cached
        return cached

    def in_force_json(self, month: Month | str) -> dict[str, Any]:
        """What is in force on the 1st of ``month``, as JSON: each parameter's
        value with its provenance, or null.  ``hash_for(month)`` is its hash;
        a run stores it so ``parameters_from_in_force`` can rebuild the set."""
        month = Month.parse(month) if isinstance(month, str) else month
        return {
            name: None if value is None else value.as_json() | {"note": value.note}
            for name, value in self.in_force(month).items()
        }

    def hash_for(self, month: Month | str) -> str:
        """sha256 of the canonical content of the parameters in force for ``month``."""
        month = Month.parse(month) if isinstance(month, str) else month
        cached = self._hash_for.get(month)
        if cached is None:
            cached = self._hash_for[month] = _sha256(self.in_force_json(month))
        return cached


def parameters_from_in_force(month: Month | str, content: Mapping[str, Any]) -> ParameterSet:
    """The parameter set a stored run used for ``month``, rebuilt from its
    ``ParameterSet.in_force_json(month)`` (e.g. after a JSON database round
    trip).  Only ``month`` can be evaluated with it; its ``hash_for(month)``
    equals the stored hash, which the caller should check."""
    month = Month.parse(month) if isinstance(month, str) else month
    parameters: dict[str, Parameter] = {}
    for name, stored in content.items():
        if stored is None:
            parameters[name] = Parameter(name, "（已存储的参数）", "yuan", "", False, ())
            continue
        entry = ParameterEntry(
            effective=date.fromisoformat(stored["effective"]),
            value=_stored_value(stored["value"]),
            sureness=stored["sureness"],
            verified=bool(stored["verified"]),
            source=stored["source"],
            note=stored.get("note", ""),
        )
        if entry.effective > month.first_day:
            raise ParameterFileError(f"{name}: stored value starts after {month}")
        parameters[name] = Parameter(name, "（已存储的参数）", stored["unit"], stored["reference"],
                                     entry.verified, (entry,))
    return ParameterSet(parameters)


def _stored_value(raw: Any) -> ParameterData:
    """A value from ``ParameterValue.value_json`` back to its type (tables: the
    integer column is the key — JSON objects need not keep their key order)."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, list):
        first = raw[0]
        key = next(k for k, v in first.items() if isinstance(v, int))
        value = next(k for k in first if k != key)
        return BandTable(key, value, tuple((int(row[key]), Decimal(str(row[value]))) for row in raw))
    return Decimal(str(raw))


def _as_date(when: date | str) -> date:
    if isinstance(when, date):
        return when
    if len(when) == 7:
        return Month.parse(when).first_day
    return date.fromisoformat(when)


@functools.lru_cache(maxsize=8)
def _load_cached(directory: Path) -> ParameterSet:
    return load_parameter_directory(directory)


def load_parameters(directory: str | Path | None = None) -> ParameterSet:
    """Load (and cache) the parameter set from ``directory`` (default: policy/parameters)."""
    return _load_cached(Path(directory).resolve() if directory else DEFAULT_DIRECTORY)


def load_parameter_directory(directory: Path) -> ParameterSet:
    """Parse and validate every ``<group>/<name>.yaml`` under ``directory``."""
    parameters: dict[str, Parameter] = {}
    for path in sorted(directory.glob("*/*.yaml")):
        name = f"{path.parent.name}.{path.stem}"
        parameters[name] = parse_parameter_file(name, path)
    if not parameters:
        raise ParameterFileError(f"no parameter files under {directory}")
    return ParameterSet(parameters, directory)


def parse_parameter_file(name: str, path: Path) -> Parameter:
    """Parse one parameter file, checking every field (fails loudly at load time)."""

    def fail(message: str) -> ParameterFileError:
        return ParameterFileError(f"{path}: {message}")

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise fail("expected a mapping")
    allowed = {"description", "unit", "reference", "verified", "values", "table"}
    if unknown := set(data) - allowed:
        raise fail(f"unknown keys {sorted(unknown)}")
    for key in ("description", "unit", "reference"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise fail(f"'{key}' must be a non-empty string")
    unit = data["unit"]
    if unit not in UNITS:
        raise fail(f"unit must be one of {UNITS}")
    table = data.get("table")
    if table is not None and (not isinstance(table, dict) or set(table) != {"key", "value"}):
        raise fail("table must be {key: ..., value: ...}")
    raw_values = data.get("values") or {}
    if not isinstance(raw_values, dict):
        raise fail("values must be a mapping keyed by effective date")
    entries = []
    for key, raw in raw_values.items():
        effective = key if isinstance(key, date) else _parse_key_date(str(key), fail)
        entries.append(_parse_entry(effective, raw, unit, table, fail))
    entries.sort(key=lambda e: e.effective)
    if len({e.effective for e in entries}) != len(entries):
        raise fail("duplicate effective dates")
    verified = data.get("verified")
    if not isinstance(verified, bool):
        raise fail("'verified' must be true or false")
    all_official = bool(entries) and all(e.verified for e in entries if e.value is not None)
    if verified != all_official:
        raise fail(f"file-level verified must be {all_official} (true only if every value is official)")
    return Parameter(
        name=name,
        description=data["description"].strip(),
        unit=unit,
        reference=data["reference"].strip(),
        verified=verified,
        entries=tuple(entries),
    )


def _parse_key_date(text: str, fail: Any) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"bad effective date {text!r}") from None


def _parse_entry(effective: date, raw: Any, unit: str, table: Any, fail: Any) -> ParameterEntry:
    if raw is None:
        return ParameterEntry(effective, None, None, False, "", "")
    if not isinstance(raw, dict) or "value" not in raw:
        raise fail(f"{effective}: expected {{value, sureness, verified, source}} or null")
    allowed = {"value", "sureness", "verified", "source", "note"}
    if unknown := set(raw) - allowed:
        raise fail(f"{effective}: unknown keys {sorted(unknown)}")
    sureness = raw.get("sureness")
    if sureness not in SURENESS:
        raise fail(f"{effective}: sureness must be one of {SURENESS}")
    verified = raw.get("verified")
    if verified is not (sureness == "official"):
        raise fail(f"{effective}: verified must be {sureness == 'official'} for sureness {sureness}")
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise fail(f"{effective}: source text required")
    value = _parse_value(raw["value"], unit, table, lambda m: fail(f"{effective}: {m}"))
    return ParameterEntry(effective, value, sureness, verified, source.strip(), str(raw.get("note", "")).strip())


def _parse_value(raw: Any, unit: str, table: Any, fail: Any) -> ParameterData:
    if table is not None:
        if not isinstance(raw, list) or not raw:
            raise fail("table value must be a non-empty list of rows")
        rows = []
        for row in raw:
            if not isinstance(row, dict) or set(row) != {table["key"], table["value"]}:
                raise fail(f"table rows need exactly {table['key']} and {table['value']}")
            rows.append((int(row[table["key"]]), _decimal(row[table["value"]], fail)))
        lowers = [lower for lower, _ in rows]
        if lowers != sorted(set(lowers)):
            raise fail("table lower bounds must be strictly increasing")
        return BandTable(table["key"], table["value"], tuple(rows))
    if unit == "flag":
        if not isinstance(raw, bool):
            raise fail("flag value must be true or false")
        return raw
    return _decimal(raw, fail)


def _decimal(raw: Any, fail: Any) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise fail(f"not a number: {raw!r}")
    value = Decimal(str(raw))
    if not value.is_finite() or value < 0:
        raise fail(f"not a non-negative number: {raw!r}")
    return value
