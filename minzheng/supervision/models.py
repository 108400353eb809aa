"""养老机构监管: the records (issues 15 and 16)."""
