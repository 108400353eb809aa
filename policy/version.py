"""Version of the rules code, stored with every decision next to the parameter hash."""

RULES_VERSION = "2026.1.0"
