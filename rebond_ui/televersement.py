"""The upload workflow of the import page: check the files, validate them, preview, publish.

The uploaded bytes are read in memory and never written to disk: nothing of a refused file, or of
an import interrupted by a crash, stays on the server."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from rebond_core.db import Base
from rebond_core.domaine import ENUMERATIONS
from rebond_core.formats import valeur_lisible_cellule
from rebond_core.importation.lecture import verifier_televersement
from rebond_core.importation.pipeline import ResultatImport, importer
from rebond_core.importation.rapport import Rapport, a_corriger_d_abord


@dataclass
class Televerse:
    nom: str
    contenu: bytes


@dataclass
class Verification:
    """What the page keeps of a validation between reruns (no raw cells: they can be large)."""

    cle: str
    version: int
    rapport: Rapport
    resultat: ResultatImport
    fichiers: list[tuple[str, str]] = field(default_factory=list)


def cle_fichiers(fichiers: list[Televerse]) -> str:
    empreinte = hashlib.sha256()
    for fichier in sorted(fichiers, key=lambda f: f.nom):
        empreinte.update(fichier.nom.encode())
        empreinte.update(hashlib.sha256(fichier.contenu).digest())
    return empreinte.hexdigest()


def controler(fichiers: list[Televerse]) -> None:
    """Server-side type and size checks (raises FichierIllisible)."""
    for fichier in fichiers:
        verifier_televersement(fichier.nom, len(fichier.contenu))


def executer(
    base: Base,
    fichiers: list[Televerse],
    auteur: str,
    simulation: bool,
    version_attendue: int | None = None,
    barre: Any = None,
) -> ResultatImport:
    """Run the core import on the uploaded bytes (in memory)."""

    def suivi(etape: str, avancement: float) -> None:
        if barre is not None:
            barre.progress(min(1.0, avancement), text=f"{etape}…")

    resultat = importer(
        base,
        [(f.nom, f.contenu) for f in fichiers],
        auteur,
        simulation=simulation,
        version_attendue=version_attendue,
        suivi=suivi,
    )
    if barre is not None:
        barre.progress(1.0, text="Terminé.")
    return resultat


NIVEAUX = {"erreur": "Erreur", "avertissement": "Avertissement"}


def tableau_rapport(rapport: Rapport) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Niveau": NIVEAUX[p.niveau],
                "Feuille": p.feuille or "",
                "Ligne": p.ligne,
                "Colonne": p.colonne or "",
                "Valeur trouvée": p.valeur or "",
                "Message": p.message,
                "Code": p.code,
            }
            for p in rapport.problemes
        ],
        columns=["Niveau", "Feuille", "Ligne", "Colonne", "Valeur trouvée", "Message", "Code"],
    ).astype({"Ligne": "Int64"})


def resume(rapport: Rapport) -> str | None:
    return a_corriger_d_abord(rapport)


def _lisible(colonne: str, valeur: Any) -> str:
    """A stored value as the user reads it: enumeration codes as their French labels."""
    libelles = ENUMERATIONS.get("filiere" if colonne == "filieres" else colonne)
    if libelles and isinstance(valeur, str):
        return libelles.get(valeur, valeur)
    if libelles and isinstance(valeur, list):
        return " ; ".join(libelles.get(str(v), str(v)) for v in valeur)
    return valeur_lisible_cellule(valeur)


def tableau_modifications(resultat: ResultatImport, table: str) -> pd.DataFrame:
    lignes = [
        {
            "Clé": str(m.cle),
            "Ligne du fichier": m.ligne,
            "Colonne": colonne,
            "Avant": _lisible(colonne, avant),
            "Après": _lisible(colonne, apres),
        }
        for m in resultat.plan[table].modifiees
        for colonne, avant, apres in m.cellules
    ]
    return pd.DataFrame(lignes, columns=["Clé", "Ligne du fichier", "Colonne", "Avant", "Après"])


def tableau_ajouts(resultat: ResultatImport, table: str) -> pd.DataFrame:
    return pd.DataFrame(
        [{"Clé": str(cle), "Ligne du fichier": ligne} for cle, ligne in resultat.plan[table].ajoutees],
        columns=["Clé", "Ligne du fichier"],
    )
