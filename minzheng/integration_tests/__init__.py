"""Tests that follow one fact or one rule across the apps on purpose: a
department feed through verification, the registry, the batch, monitoring,
casework and payments; the poverty lines in every module that uses them.
They may import any module (``pyproject.toml``, the import contracts)."""
