"""Grouped queries (issue 13, redraw of the overview): the overview's chart series from one query give
exactly the tables of the functions that compute each alone (values, types, columns, order of rows), on the
whole base, on filtered and empty scopes, at past dates and in a COPIL member's scoped base; an immutable
base reads its current version once."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from rebond_core import instantanes, perimetre
from rebond_core.acces.portee import Portee, base_pour
from rebond_core.db import Base
from rebond_core.indicateurs import calculer
from rebond_core.perimetre import Filtres

HAUTS_DE_FRANCE = "32"


def _filtres(base: Base) -> list[Filtres]:
    """No filter, each region, each relève, a filière, a territory, an empty scope, a past date, combined."""
    options = perimetre.options_filtres(base)
    regions = [code for code, _ in options["region"]]
    return [
        Filtres(),
        *(Filtres(region=(code,)) for code in regions),
        *(Filtres(releve=(numero,)) for numero, _ in options["releve"]),
        Filtres(filiere=("chimie",)),
        Filtres(territoire=(options["territoire"][0][0],)),
        Filtres(region=(regions[0],), filiere=("automobile", "chimie")),
        Filtres(region=("99",)),  # no territory: every result empty
        Filtres(au=date(2023, 6, 30)),  # before most decisions and payments
        Filtres(region=(regions[-1],), au=date(2022, 1, 1)),  # before anything
    ]


def _identiques(groupe: pd.DataFrame, seul: pd.DataFrame) -> None:
    assert list(groupe.columns) == list(seul.columns)
    assert groupe.dtypes.to_dict() == seul.dtypes.to_dict()
    pd.testing.assert_frame_equal(groupe, seul, check_exact=True)


def _seul(base: Base, nom: str, filtres: Filtres) -> pd.DataFrame:
    df = getattr(perimetre, nom)(base, filtres)
    if nom == "projets_filiere_statut":  # unordered alone; grouped, sorted
        df = df.sort_values(["filiere", "statut"], ignore_index=True)
    return df


def test_series_en_une_requete_comme_chaque_requete_seule(base_demo: Base) -> None:
    vides = 0
    for filtres in _filtres(base_demo):
        series = perimetre.series(base_demo, filtres)
        assert list(series) == list(perimetre.SERIES)
        for nom, df in series.items():
            _identiques(df, _seul(base_demo, nom, filtres))
            vides += df.empty
    assert vides >= 4  # the empty scope and the past dates are among the cases


def test_series_dans_une_base_restreinte(base_demo: Base) -> None:
    """A COPIL member's scoped base: the same tables as each query alone there, none outside the scope."""
    restreinte = base_pour(base_demo, Portee(regions=(HAUTS_DE_FRANCE,)))
    try:
        for filtres in (Filtres(), Filtres(releve=(1,)), Filtres(au=date(2024, 1, 1))):
            series = perimetre.series(restreinte, filtres)
            for nom, df in series.items():
                _identiques(df, _seul(restreinte, nom, filtres))
        national = perimetre.series(base_demo, Filtres())["laureats_par_releve"]["laureats"].sum()
        assert 0 < perimetre.series(restreinte, Filtres())["laureats_par_releve"]["laureats"].sum() < national
    finally:
        restreinte.fermer()


def _compter_lectures_de_version(base: Base, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    lues: list[str] = []
    scalaire = base.scalaire

    def compter(requete: str, parametres: Any = None) -> Any:
        if "from versions" in requete:
            lues.append(requete)
        return scalaire(requete, parametres)

    monkeypatch.setattr(base, "scalaire", compter)
    return lues


def test_version_lue_une_fois_sur_un_instantane(chemin_base_demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    travail = Base.ouvrir(chemin_base_demo)
    try:
        chemin = instantanes.publier(travail, chemin_base_demo)
        attendue = travail.version_courante()
        lues_travail = _compter_lectures_de_version(travail, monkeypatch)
        assert [travail.version_courante() for _ in range(3)] == [attendue] * 3
        assert len(lues_travail) == 3  # the working base may change: read each time
    finally:
        travail.fermer()
    instantane = instantanes.ouvrir(chemin)
    assert instantane is not None and instantane.immuable
    try:
        lues = _compter_lectures_de_version(instantane, monkeypatch)
        assert [instantane.version_courante() for _ in range(3)] == [attendue] * 3
        perimetre.series(instantane, Filtres())
        calculer(instantane, Filtres(region=(HAUTS_DE_FRANCE,)))
        assert len(lues) == 1
    finally:
        instantane.fermer()


def test_version_lue_une_fois_sur_une_base_restreinte(base_demo: Base, monkeypatch: pytest.MonkeyPatch) -> None:
    """A COPIL member's scoped copy is never written after it is built: its version is read once too."""
    attendue = base_demo.version_courante()
    restreinte = base_pour(base_demo, Portee(regions=(HAUTS_DE_FRANCE,)))
    try:
        assert restreinte.immuable
        lues = _compter_lectures_de_version(restreinte, monkeypatch)
        assert [restreinte.version_courante() for _ in range(3)] == [attendue] * 3
        perimetre.series(restreinte, Filtres())
        assert len(lues) <= 1
    finally:
        restreinte.fermer()
