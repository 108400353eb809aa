"""一键通和居家安全监测: the records (issues 15 and 16)."""
