"""Checked by `make run` before the server starts: an incomplete `[auth]` section of .streamlit/secrets.toml
stops the start with its French message (acces.md: local mode is never the silent result of a broken
configuration). The dashboard checks it again on every page (rebond_ui/identite.py)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from rebond_core.erreurs import RebondError
from rebond_ui import identite

SECRETS = Path(".streamlit") / "secrets.toml"


def main(chemin: Path = SECRETS) -> int:
    try:
        auth = tomllib.loads(chemin.read_text(encoding="utf-8")).get("auth") if chemin.exists() else None
        mode = identite.verifier_section(auth)
    except tomllib.TOMLDecodeError as erreur:
        print(
            f"Le fichier {chemin} est illisible : le tableau de bord ne démarre pas. Détail : {erreur}", file=sys.stderr
        )
        return 2
    except RebondError as erreur:
        print(erreur.message_fr, file=sys.stderr)
        return 2
    print(
        "Mode authentifié (rubrique [auth] des secrets)."
        if mode == "authentifie"
        else "Mode local — sans authentification."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
