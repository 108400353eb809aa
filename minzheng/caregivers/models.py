"""养老护理员: the records (issues 15 and 16)."""
