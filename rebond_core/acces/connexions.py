"""Who a login is: the binding of the identity provider's subject (`sub`) to an e-mail, kept at the first
login. ProConnect gives the e-mail only through /userinfo, with an access token that lives 60 seconds; a
later session (the login cookie lives 30 days) knows only `sub`, and finds the e-mail here.

Kept next to the journal (same folder, see journal.dossier_journal), in `connexions.jsonl`: one JSON
object per line `{"date", "sub", "email"}`, appended only (safe across processes, like the journal); the
last binding of a subject wins. A binding is written only when it changes, so the file grows with the
number of people, not of sessions."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from rebond_core.acces.journal import ajouter_ligne, chemin_dans, lire_lignes

FICHIER = "connexions.jsonl"


def _fichier(dossier: str | os.PathLike[str] | None) -> Path:
    return chemin_dans(dossier, FICHIER)


def liaisons(dossier: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """Every subject's e-mail (the last binding of each)."""
    resultat: dict[str, str] = {}
    for objet in lire_lignes(_fichier(dossier)):
        sub, email = objet.get("sub"), objet.get("email")
        if isinstance(sub, str) and isinstance(email, str) and sub and email:
            resultat[sub] = email
    return resultat


def email_de(sub: str, dossier: str | os.PathLike[str] | None = None) -> str | None:
    """The e-mail bound to `sub`, or None when this subject never logged in here."""
    return liaisons(dossier).get(sub)


def lier(sub: str, email: str, dossier: str | os.PathLike[str] | None = None) -> bool:
    """Bind `sub` to `email` (kept in lower case); True when written, False when it was already so bound."""
    if not sub or not email.strip():
        raise ValueError("sub et email sont obligatoires pour lier une connexion")
    email = email.strip().lower()
    if email_de(sub, dossier) == email:
        return False
    objet = {"date": datetime.now().astimezone().isoformat(timespec="seconds"), "sub": sub, "email": email}
    ajouter_ligne(_fichier(dossier), (json.dumps(objet, ensure_ascii=False) + "\n").encode("utf-8"))
    return True
