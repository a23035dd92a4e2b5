"""Typesetting a report: a Typst template of rebond_core/rapports/modeles/ fed with the report's data as
JSON (typst 0.15, which bundles its compiler: no system package, no browser, nothing fetched).

Each report is compiled in a short process of its own (compilation.py): Typst's layout memory, hundreds of
megabytes after a few long reports, is returned to the system when the report is done, and reports made at
the same time share nothing. Fonts are the repository's own (rebond_core/rapports/polices/, DejaVu Sans
Condensed: it has the narrow no-break space U+202F of French numbers) and the system's are ignored, so that a
report reads the same on every machine. The PDF is tagged (PDF/UA-1) with its title and language."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

from rebond_core.erreurs import RebondError

DOSSIER = Path(__file__).resolve().parent
MODELES = DOSSIER / "modeles"
POLICES = DOSSIER / "polices"
COMPILATION = DOSSIER / "compilation.py"
DELAI_MAX_S = 120
journal = logging.getLogger("rebond.rapports")


class ErreurMiseEnPage(RebondError):
    """The template could not lay the report out (a bug of the template, never of the data)."""


def pdf(modele: str, donnees: dict[str, Any]) -> bytes:
    """The PDF of template `modele` (modeles/<modele>.typ) with `donnees` (JSON-serialisable, values already
    written in French)."""
    entree = json.dumps(donnees, ensure_ascii=False, default=str).encode("utf-8")
    commande = [sys.executable, "-I", str(COMPILATION), str(MODELES / f"{modele}.typ"), str(MODELES), str(POLICES)]
    try:
        fait = subprocess.run(commande, input=entree, capture_output=True, timeout=DELAI_MAX_S, check=False)
    except subprocess.TimeoutExpired as erreur:
        raise ErreurMiseEnPage(f"Mise en page du rapport interrompue après {DELAI_MAX_S} s.") from erreur
    messages = fait.stderr.decode("utf-8", "replace").strip()
    if fait.returncode != 0 or not fait.stdout.startswith(b"%PDF"):
        raise ErreurMiseEnPage(f"Mise en page du rapport impossible : {messages or fait.returncode}")
    for ligne in messages.splitlines():  # e.g. a glyph missing from the fonts: the PDF is still made
        journal.warning("Mise en page du rapport %s : %s", modele, ligne)
    return fait.stdout
