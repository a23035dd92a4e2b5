"""The demonstration base: real territories, and totals equal to the published figures where they exist."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from rebond_core.db import Base

PUBLIES = Path(__file__).resolve().parent.parent / "data" / "laureats-publics.csv"


def _laureats() -> list[dict[str, str]]:
    with PUBLIES.open(encoding="utf-8") as flux:
        return list(csv.DictReader(flux))


def test_la_base_de_demo_est_marquee_et_versionnee(base_demo: Base) -> None:
    assert base_demo.meta("donnees_demo") == "oui"
    assert base_demo.lignes("select numero, auteur, restaure from versions") == [(1, "Données de démonstration", None)]


def test_territoires_reels(base_demo: Base) -> None:
    stockes = {
        code: (releve, region, sorted(epci))
        for code, releve, region, epci in base_demo.lignes(
            "select code_territoire, releve, region, epci from territoires where v_to is null"
        )
    }
    attendus = {
        ligne["code_territoire"]: (int(ligne["releve"]), ligne["region"], sorted(ligne["epci"].split(";")))
        for ligne in _laureats()
    }
    assert stockes == attendus


@pytest.mark.parametrize("laureat", _laureats(), ids=lambda ligne: ligne["code_territoire"])
def test_totaux_calibres_sur_les_chiffres_publies(base_demo: Base, laureat: dict[str, str]) -> None:
    projets, investissement, emplois, retenus, aides = base_demo.lignes(
        """
        select count(*), sum(investissement_eur), sum(emplois_prevus),
               count(*) filter (where statut = 'accorde'),
               coalesce(sum(subvention_eur + avance_remboursable_eur) filter (where statut = 'accorde'), 0)
        from projets where v_to is null and code_territoire = $code
        """,
        {"code": laureat["code_territoire"]},
    )[0]
    if laureat["projets_identifies"]:
        assert projets == int(laureat["projets_identifies"])
    if laureat["investissement_identifie_eur"]:
        assert investissement == Decimal(laureat["investissement_identifie_eur"])
    if laureat["emplois_potentiels"]:
        assert emplois == int(laureat["emplois_potentiels"])
    if laureat["projets_retenus"]:
        assert retenus == int(laureat["projets_retenus"])
    if laureat["aides_accordees_eur"]:
        assert aides == Decimal(laureat["aides_accordees_eur"])
    assert (
        3
        <= base_demo.scalaire(
            "select count(*) from sites where v_to is null and code_territoire = $c", {"c": laureat["code_territoire"]}
        )
        <= 8
    )
