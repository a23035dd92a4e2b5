"""The header lines of the downloads are plain text: names as typed (no Markdown escape, no invisible word
joiner), each line one cell neutralised like the table's cells. Checked on the exports themselves and on
what the pages' download buttons give for a territory whose name has an apostrophe and hyphens."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pandas as pd
import pytest
import streamlit

from rebond_core import exports
from rebond_ui.surete import JOINT
from tests.outils.appli import lancer

DREUX = "Pays de Dreux – Portes Euréliennes d'Île-de-France"


def _cellules(contenu: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(contenu.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_lignes_d_en_tete_en_texte_brut_neutralisees() -> None:
    table = pd.DataFrame({"Territoire": ["Douaisis"], "Montant (€)": [1.5]})
    entete = ["=1+1", "Filtres ; Région : Hauts-de-France", 'Nom "cité"', "ligne\ncoupée", "@SOMME(A1)"]
    lignes = _cellules(exports.csv_excel_fr(table, entete))
    # Each header line is one cell, as typed (its ; and quotes kept), a formula start neutralised.
    assert lignes[:5] == [["'=1+1"], ["Filtres ; Région : Hauts-de-France"], ['Nom "cité"'], ["ligne\ncoupée"]] + [
        ["'@SOMME(A1)"]
    ]
    assert lignes[5] == ["Territoire", "Montant (€)"]
    feuille = openpyxl.load_workbook(io.BytesIO(exports.xlsx(table, "t", entete)))["t"]
    assert [feuille.cell(ligne, 1).value for ligne in range(1, 6)] == ["'=1+1", *entete[1:4], "'@SOMME(A1)"]


@pytest.fixture
def telechargements(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], bytes]]:
    """The download buttons a run draws: file name → what a click gives."""
    trouves: dict[str, Callable[[], bytes]] = {}
    original = streamlit.download_button

    def bouton(libelle: str, data: Any, file_name: str | None = None, **autres: Any) -> Any:
        trouves[str(file_name)] = data
        return original(libelle, data=data, file_name=file_name, **autres)

    monkeypatch.setattr(streamlit, "download_button", bouton)
    return trouves


def _entete(contenu: bytes) -> list[str]:
    """The header lines of a CSV export: the one-cell lines above the table."""
    lignes = _cellules(contenu)
    return [ligne[0] for ligne in lignes[: next(i for i, ligne in enumerate(lignes) if len(ligne) > 1)] if ligne]


@pytest.mark.parametrize(
    ("page", "fichier", "attendu"),
    [
        (None, "territoires.csv", f"Rebond industriel — territoires ; Territoire : {DREUX}"),
        ("pages/territoire.py", "projets.csv", f"Rebond industriel — projets ; Territoire : {DREUX}"),
        ("pages/sites.py", "classement-sites.csv", f"Rebond industriel — classement des sites — Territoire : {DREUX}"),
    ],
)
def test_en_tete_des_telechargements_sans_echappement(
    application: object, telechargements: dict[str, Callable[[], bytes]], page: str | None, fichier: str, attendu: str
) -> None:
    lancer({"territoire": "dreux"}, page)
    entete = _entete(telechargements[fichier]())
    assert entete[0].startswith("DONNÉES DE DÉMONSTRATION") and attendu in entete
    assert not [ligne for ligne in entete if "\\" in ligne or JOINT in ligne]
    xlsx = telechargements[fichier.replace(".csv", ".xlsx")]()
    feuille = openpyxl.load_workbook(io.BytesIO(xlsx)).worksheets[-1]
    assert attendu in [feuille.cell(ligne, 1).value for ligne in range(1, len(entete) + 1)]


def test_en_tete_des_projets_a_suivre_sans_echappement(
    application: object, telechargements: dict[str, Callable[[], bytes]]
) -> None:
    lancer({"territoire": "dreux"}, "pages/a_suivre.py")
    entete = _entete(telechargements["projets-a-suivre.csv"]())
    assert f"Rebond industriel — projets à suivre ; Territoire : {DREUX}" in entete
