"""居家环境适老化改造: the records (issues 15 and 16)."""
