"""Who may import and restore. For now everyone who reaches the server; the switch is here so that
access can later be limited to data staff (e.g. from st.user claims mapped to a role table)."""

from __future__ import annotations

import os


def import_autorise() -> bool:
    """False when REBOND_IMPORT=desactive (a read-only deployment)."""
    return os.environ.get("REBOND_IMPORT", "").strip().lower() not in ("desactive", "désactivé", "non", "0")
