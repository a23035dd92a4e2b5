"""Writing small relève workbooks for tests (real XLSX files, through xlsxwriter)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter


def ecrire_classeur(chemin: Path, feuilles: dict[str, list[dict[str, Any]]]) -> Path:
    """One sheet per table, headers from the keys of the first row, dates as Excel date cells."""
    classeur = xlsxwriter.Workbook(str(chemin))
    format_date = classeur.add_format({"num_format": "dd/mm/yyyy"})
    for nom, lignes in feuilles.items():
        feuille = classeur.add_worksheet(nom)
        colonnes = list(dict.fromkeys(c for ligne in lignes for c in ligne))
        for j, colonne in enumerate(colonnes):
            feuille.write_string(0, j, colonne)
        for i, ligne in enumerate(lignes, start=1):
            for j, colonne in enumerate(colonnes):
                valeur = ligne.get(colonne)
                if valeur is None:
                    continue
                if isinstance(valeur, date):
                    feuille.write_datetime(i, j, valeur, format_date)
                else:
                    feuille.write(i, j, valeur)
    classeur.close()
    return chemin
