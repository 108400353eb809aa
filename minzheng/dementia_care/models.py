"""认知障碍友好社区: the records (issues 15 and 16)."""
