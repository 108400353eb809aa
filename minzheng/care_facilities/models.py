"""养老服务设施: the records (issues 15 and 16)."""
