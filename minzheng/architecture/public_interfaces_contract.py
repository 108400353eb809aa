"""An import-linter contract type: apps use each other only through their
public interfaces (docs/adr/0009-app-boundaries.md).

Configured in ``pyproject.toml`` as ``type = "public_interfaces"``::

    apps = ["minzheng.registry", ...]          # packages whose insides are guarded
    public_modules = ["minzheng.*.models", ...]  # may be imported from anywhere
    allowed_imports = ["minzheng.api -> minzheng.*.api", ...]  # narrow exceptions

A module of an app may import anything inside its own app. From outside the
app, only the app package itself (whose ``__init__`` stays empty), its public
modules (each with its submodules, so a ``services`` package counts whole)
and the imports listed in ``allowed_imports`` are allowed. Every other direct
import of the app's modules from outside breaks the contract.
"""

from __future__ import annotations

from collections import defaultdict

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output
from importlinter.domain import helpers


class PublicInterfacesContract(Contract):
    type_name = "public_interfaces"

    apps = fields.ListField(subfield=fields.ModuleExpressionField())
    public_modules = fields.ListField(subfield=fields.ModuleExpressionField())
    allowed_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    broken_contract_guidance = fields.TextField(required=False)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        allowed: set[tuple[str, str]] = set()
        warnings: list[str] = []
        for expression in sorted(self.allowed_imports or (), key=str):  # type: ignore[attr-defined]
            matches = graph.find_matching_direct_imports(import_expression=str(expression))
            if not matches:
                warnings.append(f"Allowed import {expression} matched nothing in the graph.")
            allowed.update((m["importer"], m["imported"]) for m in matches)

        apps = sorted(m.name for m in helpers.module_expressions_to_modules(graph, self.apps))  # type: ignore[attr-defined]
        public = {
            m.name
            for m in helpers.module_expressions_to_modules(graph, self.public_modules, as_packages=True)  # type: ignore[attr-defined]
        }

        broken: dict[str, list[dict]] = defaultdict(list)
        for app in apps:
            inside = {app} | graph.find_descendants(app)
            for module in sorted(inside - public - {app}):
                for importer in sorted(graph.find_modules_that_directly_import(module) - inside):
                    if (importer, module) in allowed:
                        continue
                    details = graph.get_import_details(importer=importer, imported=module)
                    broken[app].append({
                        "importer": importer,
                        "imported": module,
                        "line_numbers": tuple(d["line_number"] for d in details),
                    })
        return ContractCheck(
            kept=not broken,
            warnings=warnings,
            metadata={
                "broken": dict(broken),
                "public": {app: sorted(m for m in public if m == app or m.startswith(app + "."))
                           for app in broken},
            },
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        for app, links in check.metadata["broken"].items():
            output.print_error(f"{app} used other than through its public interface:", bold=False)
            output.new_line()
            for link in links:
                lines = ", ".join(str(n) for n in link["line_numbers"])
                output.print_error(f"- {link['importer']} -> {link['imported']} (l.{lines})", bold=False)
            output.new_line()
            public = check.metadata["public"][app]
            output.print(f"  Public interface of {app}: {', '.join(public) or '(none)'}")
            output.new_line()
        if self.broken_contract_guidance:  # type: ignore[attr-defined]
            output.print(str(self.broken_contract_guidance))  # type: ignore[attr-defined]
