"""Architecture checks (docs/adr/0009-app-boundaries.md): the custom
import-linter contract type that keeps apps talking to each other through
their public interfaces only. Not a Django app; used by ``lint-imports``."""
