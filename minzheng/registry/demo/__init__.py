"""Synthetic demo district: a deterministic, Songjiang-like population.

Entry point: :func:`minzheng.registry.demo.generator.generate_demo_data`
(``manage.py demo_data`` / ``minzheng demo-data``). The modules are named for
what they do: ``committees`` (the committee tree), ``names`` and ``identity``
(names, ID numbers, phones), ``population`` (households, ages, hukou, deaths,
moves), ``economy`` (employment, incomes, assets, hardship), ``conditions``
(disabilities and child-protection flags), ``rows`` (database rows),
``bulk_write`` (COPY / executemany), ``runs`` (run markers in the audit
trail) and ``calibration`` (counts the seed's 2023 figures on the data).
"""
