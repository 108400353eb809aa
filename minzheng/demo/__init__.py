"""The demo app: synthetic data for ``make run``, apart from the domain code
(docs/adr/0009-app-boundaries.md). No domain app imports it; it uses the
domain apps through their models, selectors and services, and as a data
loader (like a migration from an old system) it bulk-writes their tables.

Commands: ``demo_setup`` (``make run``: jurisdiction tree, demo district,
demo accounts, caseload brought over at go-live, the month's monitoring,
synthetic payee accounts) and ``demo_data`` (the population only).
``caseload`` enrols the old system's caseload.

Synthetic demo district: a deterministic, Songjiang-like population.

Entry point: :func:`minzheng.demo.generator.generate_demo_data`
(``manage.py demo_data`` / ``minzheng demo-data``). The modules are named for
what they do: ``committees`` (the committee tree), ``names`` and ``identity``
(names, ID numbers, phones), ``population`` (households, ages, hukou, deaths,
moves), ``economy`` (employment, incomes, assets, hardship), ``conditions``
(disabilities and child-protection flags), ``rows`` (database rows),
``bulk_write`` (COPY / executemany), ``runs`` (run markers in the audit
trail) and ``calibration`` (counts the seed's 2023 figures on the data).
"""
