"""Who sees what (shared/spec/acces.md): habilitations, the row-level scope, the journal and the logins.

This package's `__init__` imports nothing: each module is imported by name where it is used, so that
the command line and the pages load only what they need."""
