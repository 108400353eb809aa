"""养老机构: the records (issues 15 and 16)."""
