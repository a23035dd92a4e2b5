"""The validation report: every problem found, with its position, stable code and French message."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from rebond_core import formats
from rebond_core.config import MAX_ERREURS_RAPPORT
from rebond_core.importation.messages import AVERTISSEMENTS, message

ERREUR = "erreur"
AVERTISSEMENT = "avertissement"


@dataclass(frozen=True)
class Probleme:
    """One problem: sheet (table), spreadsheet row (header = 1), column, value found, code, message."""

    feuille: str | None
    ligne: int | None
    colonne: str | None
    valeur: str | None
    code: str
    message: str
    niveau: str

    def en_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def position(self) -> str:
        """Where the problem is, as far as known: 'feuille projets, ligne 4, colonne statut'."""
        parties = (
            f"feuille {self.feuille}" if self.feuille else "",
            f"ligne {self.ligne}" if self.ligne is not None else "",
            f"colonne {self.colonne}" if self.colonne else "",
        )
        return ", ".join(p for p in parties if p)

    def en_ligne(self) -> str:
        """One readable line for the terminal report: level, code, position, value found, message."""
        lieu = ", ".join(p for p in (self.position, f"valeur « {self.valeur} »" if self.valeur else "") if p)
        prefixe = "ERREUR" if self.niveau == ERREUR else "AVERTISSEMENT"
        return f"{prefixe} [{self.code}] {lieu} : {self.message}" if lieu else f"{prefixe} [{self.code}] {self.message}"


@dataclass
class Rapport:
    """Problems collected in order of discovery; capped at MAX_ERREURS_RAPPORT errors."""

    problemes: list[Probleme] = field(default_factory=list)
    tronque: bool = False

    def ajouter(
        self,
        code: str,
        feuille: str | None = None,
        ligne: int | None = None,
        colonne: str | None = None,
        valeur: Any = None,
        message_fr: str | None = None,
        **contexte: object,
    ) -> None:
        """Add a problem; its level comes from the code (warnings are listed in messages.py)."""
        niveau = AVERTISSEMENT if code in AVERTISSEMENTS else ERREUR
        if niveau == ERREUR and self.nombre_erreurs >= MAX_ERREURS_RAPPORT:
            if not self.tronque:
                self.tronque = True
                self.problemes.append(
                    Probleme(
                        None,
                        None,
                        None,
                        None,
                        "trop-d-erreurs",
                        message("trop-d-erreurs", max=formats.nombre(MAX_ERREURS_RAPPORT)),
                        ERREUR,
                    )
                )
            return
        texte = message_fr if message_fr is not None else message(code, **contexte)
        trouvee = formats.valeur_lisible_cellule(valeur, vide="") or None  # None (null in JSON) when empty
        self.problemes.append(Probleme(feuille, ligne, colonne, trouvee, code, texte, niveau))

    @property
    def erreurs(self) -> list[Probleme]:
        return [p for p in self.problemes if p.niveau == ERREUR]

    @property
    def avertissements(self) -> list[Probleme]:
        return [p for p in self.problemes if p.niveau == AVERTISSEMENT]

    @property
    def nombre_erreurs(self) -> int:
        return sum(1 for p in self.problemes if p.niveau == ERREUR)

    @property
    def valide(self) -> bool:
        return self.nombre_erreurs == 0

    def trier(self) -> None:
        """Errors first, then by table order, row and column, so the report reads top-down."""
        ordre_tables = {"releves": 0, "territoires": 1, "projets": 2, "sites": 3, "versements": 4}
        self.problemes.sort(
            key=lambda p: (
                p.niveau != ERREUR,
                ordre_tables.get(p.feuille or "", -1),
                p.ligne or 0,
            )
        )


_STRUCTURELS = ("aucune-table", "aucune-ligne", "colonne-manquante", "colonne-dupliquee", "trop-d-erreurs")


def a_corriger_d_abord(rapport: Rapport) -> str | None:
    """One French sentence saying what to fix first (structure before cells, then the most frequent error)."""
    erreurs = rapport.erreurs
    if not erreurs:
        return None
    structure = [p for p in erreurs if p.code in _STRUCTURELS]
    if structure:
        premier = structure[0]
        autres = f" (et {len(structure) - 1} autre(s) problème(s) de structure)" if len(structure) > 1 else ""
        lieu = f" — {premier.position}" if premier.position else ""
        return f"Corrigez d'abord la structure du fichier : {premier.message}{lieu}{autres}."
    codes: dict[str, list[Probleme]] = {}
    for probleme in erreurs:
        codes.setdefault(probleme.code, []).append(probleme)
    code, exemples = max(codes.items(), key=lambda item: len(item[1]))
    premier = exemples[0]
    if len(exemples) == 1:
        premier = erreurs[0]
        return (
            f"Corrigez les {formats.nombre(len(erreurs))} erreur(s) du rapport, en commençant par la première : "
            f"« {premier.message} » ({premier.position})."
        )
    return (
        f"{formats.nombre(len(exemples))} erreur(s) sur {formats.nombre(len(erreurs))} sont du même type : "
        f"« {premier.message} » (première : {premier.position}). Corrigez-les d'abord."
    )
