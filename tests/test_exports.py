"""Exports for French Excel, safe against formula injection; French number and date formats."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pandas as pd

from rebond_core import exports, formats

PIEGES = ['=HYPERLINK("http://x","clic")', "+1+2", "-3+4", "@SUM(A1)", "\tcache", "=1+1"]


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Texte": ["Forges de Douai", *PIEGES],
            "Montant (€)": [1234567.5, 1, 2, 3, 4, 5, 6],
            "Date": [date(2022, 11, 14)] * 7,
        }
    )


def test_neutraliser() -> None:
    assert [exports.neutraliser(v) for v in PIEGES] == ["'" + v for v in PIEGES]
    assert exports.neutraliser("Forges") == "Forges"
    assert exports.neutraliser(-3) == -3  # numbers are not text: left as they are


def test_csv_pour_excel_francais() -> None:
    contenu = exports.csv_excel_fr(_table(), ["=danger"])
    assert contenu.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    texte = contenu.decode("utf-8-sig")
    lignes = texte.split("\r\n")
    assert lignes[0] == "'=danger"
    assert lignes[1] == "Texte;Montant (€);Date"
    assert lignes[2] == "Forges de Douai;1234567,5;14/11/2022"
    # The trap holding quotes is quoted as a whole, its quotes doubled: the cell still starts with "'".
    assert lignes[3] == '"\'=HYPERLINK(""http://x"",""clic"")";1,0;14/11/2022'
    assert lignes[4] == "'+1+2;2,0;14/11/2022"
    assert lignes[-1] == ""  # every line ends with CRLF, and nothing follows the last one
    # Read back as Excel reads it: every trap, and only it, is prefixed with an apostrophe.
    cellules = list(csv.reader(io.StringIO(texte, newline=""), delimiter=";"))
    assert [ligne[0] for ligne in cellules[3:]] == ["'" + piege for piege in PIEGES]


def test_xlsx_sans_formule() -> None:
    classeur = openpyxl.load_workbook(io.BytesIO(exports.xlsx(_table(), "territoires", ["Version 3"])))
    feuille = classeur["territoires"]
    assert feuille["A1"].value == "Version 3"
    assert [c.value for c in feuille[3]] == ["Texte", "Montant (€)", "Date"]
    assert feuille["B4"].value == 1234567.5
    assert feuille["C4"].value == datetime(2022, 11, 14)
    for ligne, piege in enumerate(PIEGES, start=5):
        cellule = feuille.cell(ligne, 1)
        assert cellule.data_type == "s" and cellule.value == "'" + piege


def test_formats_francais() -> None:
    assert formats.nombre(1234567.891, 1) == "1\u202f234\u202f567,9"
    assert formats.millions_euros(Decimal("1234500000")) == "1\u202f234,5\u00a0M€"
    assert formats.euros(12345) == "12\u202f345\u00a0€"
    assert formats.pourcentage(0.1234) == "12,3\u00a0%"
    assert formats.nombre(-0.05, 1) == "-0,1"
    assert formats.date_fr(date(2022, 11, 14)) == "14/11/2022"
    assert formats.nombre(None) == "—"
