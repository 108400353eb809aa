"""老年人助餐: the records (issues 15 and 16)."""
