"""Table exports for French Excel: CSV (`;`, decimal comma, UTF-8 with BOM) and XLSX, both safe
against formula injection (a text cell starting with = + - @ or a control character is neutralised).

Exports of demonstration data say so before anything else: the CSV's first line, and in the XLSX the
first line of the table's sheet and a first sheet « À lire » (MARQUE_DEMO)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

import pandas as pd
import xlsxwriter

from rebond_core import formats

MARQUE_DEMO = (
    "DONNÉES DE DÉMONSTRATION. Territoires, régions et EPCI réels. Certaines relèves, filières et enveloppes "
    "sont des hypothèses. Projets, sites, versements et une partie des données de mission sont fictifs. "
    "Ne pas diffuser comme des résultats du programme."
)
FEUILLE_A_LIRE = "À lire"
_DEBUTS_DANGEREUX = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutraliser(valeur: Any) -> Any:
    """A text that a spreadsheet could read as a formula, prefixed with an apostrophe; others unchanged."""
    if isinstance(valeur, str) and valeur.startswith(_DEBUTS_DANGEREUX):
        return "'" + valeur
    return valeur


def _cellule_csv(valeur: Any) -> Any:
    if isinstance(valeur, (list, tuple)):
        return neutraliser(" ; ".join(map(str, valeur)))
    if isinstance(valeur, date):  # python dates in object columns (datetime64 columns use date_format)
        return formats.date_fr(valeur.date() if isinstance(valeur, datetime) else valeur)
    return neutraliser(valeur)


def _preparer(df: pd.DataFrame, pour_csv: bool = False) -> pd.DataFrame:
    propre = df.copy()
    for colonne in propre.columns:
        if propre[colonne].dtype == object or pd.api.types.is_string_dtype(propre[colonne]):
            propre[colonne] = propre[colonne].map(
                _cellule_csv
                if pour_csv
                else (lambda v: neutraliser(" ; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v))
            )
    propre.columns = [str(neutraliser(str(c))) for c in propre.columns]
    return propre


def _lignes_entete(entete: list[str] | None, demo: bool) -> list[str]:
    """The lines written above the table, as plain text neutralised like a cell (a line is text as it is:
    no Markdown, no escaping; `neutraliser` keeps a spreadsheet from reading it as a formula)."""
    return [str(neutraliser(str(ligne))) for ligne in ([MARQUE_DEMO] if demo else []) + list(entete or [])]


def csv_excel_fr(df: pd.DataFrame, entete: list[str] | None = None, demo: bool = False) -> bytes:
    """CSV for French Excel: `;` separator, decimal comma, dates dd/mm/yyyy, UTF-8 with BOM.

    `entete` lines (e.g. the filters or weights used) are written above the table, each as one cell (quoted
    when it holds a `;`, a quote or a line break, as cells are); for demonstration data (`demo`), MARQUE_DEMO
    first."""
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";", lineterminator="\r\n")
    for ligne in _lignes_entete(entete, demo):
        ecrivain.writerow([ligne])
    _preparer(df, pour_csv=True).to_csv(
        tampon, sep=";", decimal=",", index=False, date_format=formats.FORMAT_DATE, lineterminator="\r\n"
    )
    return tampon.getvalue().encode("utf-8-sig")


def xlsx(df: pd.DataFrame, feuille: str = "donnees", entete: list[str] | None = None, demo: bool = False) -> bytes:
    """An XLSX workbook of the table; text cells are written as strings (never as formulas). For
    demonstration data (`demo`), a first sheet « À lire » holds MARQUE_DEMO and the `entete` lines, and the
    table's sheet starts with MARQUE_DEMO too."""
    tampon = io.BytesIO()
    classeur = xlsxwriter.Workbook(
        tampon, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    alerte = classeur.add_format({"bold": True, "font_color": "#B34000"})
    if demo:
        a_lire = classeur.add_worksheet(FEUILLE_A_LIRE)
        a_lire.set_column(0, 0, 120)
        a_lire.write_string(0, 0, MARQUE_DEMO, alerte)
        for rang, texte in enumerate(_lignes_entete(entete, False), start=2):
            a_lire.write_string(rang, 0, texte)
    page = classeur.add_worksheet(feuille[:31])
    gras = classeur.add_format({"bold": True, "bg_color": "#E3E3FD"})
    format_date = classeur.add_format({"num_format": formats.FORMAT_DATE_EXCEL})
    ligne = 0
    for texte in _lignes_entete(entete, demo):
        page.write_string(ligne, 0, texte, alerte if demo and ligne == 0 else None)
        ligne += 1
    if ligne:
        ligne += 1
    propre = _preparer(df)
    for j, colonne in enumerate(propre.columns):
        page.write_string(ligne, j, colonne, gras)
        page.set_column(j, j, max(12, min(40, len(colonne) + 2)))
    for valeurs in propre.itertuples(index=False):
        ligne += 1
        for j, valeur in enumerate(valeurs):
            _ecrire_cellule(page, ligne, j, valeur, format_date)
    classeur.close()
    return tampon.getvalue()


def _ecrire_cellule(page: Any, ligne: int, colonne: int, valeur: Any, format_date: Any) -> None:
    if valeur is None or (not isinstance(valeur, (list, tuple, str)) and pd.isna(valeur)):
        return
    if isinstance(valeur, bool):
        page.write_boolean(ligne, colonne, valeur)
    elif isinstance(valeur, (int, float)):
        page.write_number(ligne, colonne, valeur)
    elif hasattr(valeur, "to_pydatetime") or hasattr(valeur, "isoformat"):
        moment = valeur.to_pydatetime() if hasattr(valeur, "to_pydatetime") else valeur
        page.write_datetime(ligne, colonne, moment, format_date)
    elif hasattr(valeur, "__float__") and not isinstance(valeur, str):
        page.write_number(ligne, colonne, float(valeur))
    else:
        page.write_string(ligne, colonne, str(valeur))
