"""The row-level scope's choke point (rebond_core/acces/portee.py): a scoped base holds only its scope's
rows, the figures computed on it equal those of the whole base filtered on the same territories (summed
here by hand in SQL), the national sums stay national, nothing outside it can be read, and every table of
the schema is classified."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from rebond_core import perimetre
from rebond_core.acces import portee
from rebond_core.acces.portee import Portee, TableNonClassee, base_pour
from rebond_core.config import ENVELOPPE_AIDES_EUR
from rebond_core.db import Base
from rebond_core.erreurs import HorsPerimetre, RebondError
from rebond_core.indicateurs import calculer
from rebond_core.perimetre import Filtres, verifier_filtres
from rebond_core.rapports import historique
from rebond_core.versions import liste_versions

HAUTS_DE_FRANCE = "32"


def _codes_de_region(base: Base, region: str) -> set[str]:
    return {r[0] for r in base.lignes("select code_territoire from territoires where region = $r", {"r": region})}


def test_every_table_of_the_schema_is_classified_once(base_demo: Base) -> None:
    """A new table must be declared scoped, attached, public or private, or the scoped base is not built."""
    historique.enregistrer(base_demo, "cambrai", 1, 1, date(2026, 11, 1), "ligne de commande")  # rapports_copil
    listes = [
        set(portee.TABLES_PERIMETREES),
        set(portee.TABLES_RATTACHEES),
        set(portee.TABLES_PUBLIQUES),
        set(portee.TABLES_PRIVEES),
    ]
    toutes = [t for liste in listes for t in liste]
    assert len(toutes) == len(set(toutes)), "une table est classée deux fois"
    tables = portee.tables_de(base_demo)
    assert {"projets", "versements", "habilitations", "rapports_copil", "ref_laureats_publics"} <= set(tables)
    assert portee.tables_non_classees(tables) == []


def test_an_unclassified_table_stops_the_scoped_base(base_demo: Base) -> None:
    with base_demo.transaction() as curseur:
        curseur.execute("create table commentaires (code_territoire varchar, texte varchar)")
    with pytest.raises(TableNonClassee, match="commentaires"):
        base_pour(base_demo, Portee(territoires=("cambrai",)))


def test_a_scoped_base_holds_only_the_rows_of_its_scope(base_demo: Base) -> None:
    codes = _codes_de_region(base_demo, HAUTS_DE_FRANCE)
    assert len(codes) >= 2  # the demonstration base has several territories in Hauts-de-France
    restreinte = base_pour(base_demo, Portee(regions=(HAUTS_DE_FRANCE,)))
    try:
        for table in ("territoires", "projets", "sites", "ref_laureats_publics"):
            vus = {r[0] for r in restreinte.lignes(f"select distinct code_territoire from {table}")}
            assert vus <= codes, table
            attendus = base_demo.scalaire(
                f"select count(*) from {table} where list_contains($c::varchar[], code_territoire)", {"c": list(codes)}
            )
            assert restreinte.scalaire(f"select count(*) from {table}") == attendus, table
        projets_vus = {r[0] for r in restreinte.lignes("select distinct id_projet from projets")}
        versements = restreinte.lignes("select distinct id_projet from versements")
        assert {r[0] for r in versements} <= projets_vus
        attendus = base_demo.scalaire(
            "select count(*) from versements where id_projet in "
            "(select id_projet from projets where list_contains($c::varchar[], code_territoire))",
            {"c": list(codes)},
        )
        assert restreinte.scalaire("select count(*) from versements") == attendus
        assert "habilitations" not in portee.tables_de(restreinte)
        # The versioned macros work on the copy.
        assert restreinte.scalaire("select count(*) from projets_a($v)", {"v": base_demo.version_courante()}) > 0
    finally:
        restreinte.fermer()


def test_figures_of_a_scoped_base_are_those_of_its_territories_and_national_sums_stay_national(
    base_demo: Base,
) -> None:
    codes = sorted(_codes_de_region(base_demo, HAUTS_DE_FRANCE))
    v = base_demo.version_courante()
    # By hand, on the whole base: projects of the scope, aid granted in the scope and in the whole base.
    nombre = base_demo.scalaire(
        "select count(*) from projets_a($v) where list_contains($c::varchar[], code_territoire)", {"v": v, "c": codes}
    )
    accorde_national = base_demo.scalaire(
        "select sum(subvention_eur + avance_remboursable_eur) from projets_a($v) where statut = 'accorde'", {"v": v}
    )
    restreinte = base_pour(base_demo, Portee(regions=(HAUTS_DE_FRANCE,)))
    try:
        resultat = calculer(restreinte, Filtres(version=v, au=date(2026, 11, 13)))
        filtre = calculer(base_demo, Filtres(territoire=tuple(codes), version=v, au=date(2026, 11, 13)))
    finally:
        restreinte.fermer()
    assert resultat.valeurs["projets.total"] == nombre
    assert resultat.valeurs == filtre.valeurs
    assert Decimal(resultat.valeurs["enveloppe_aides.reste_eur"]) == ENVELOPPE_AIDES_EUR - accorde_national


def test_national_medians_come_from_the_whole_base(base_demo: Base) -> None:
    nationales = portee.medianes_nationales(base_demo)
    restreinte = base_pour(base_demo, Portee(territoires=("cambrai",)))
    try:
        assert portee.medianes_nationales(restreinte) == nationales
        assert restreinte.scalaire("select count(*) from territoires_a($v)", {"v": base_demo.version_courante()}) == 1
    finally:
        restreinte.fermer()
    assert nationales.territoires == base_demo.scalaire(
        "select count(*) from territoires_a($v)", {"v": base_demo.version_courante()}
    )


def test_nothing_outside_a_scoped_base_can_be_read_from_it(base_demo: Base, chemin_base_demo: Path) -> None:
    restreinte = base_pour(base_demo, Portee(territoires=("cambrai",)))
    try:
        for requete in (
            f"select * from read_csv('{chemin_base_demo.parent}/x.csv')",
            f"attach '{chemin_base_demo}' as toute (read_only)",
            "set enable_external_access = true",
        ):
            with pytest.raises(duckdb.Error):
                restreinte.lignes(requete)
    finally:
        restreinte.fermer()


def test_a_filter_outside_the_scope_is_refused_without_saying_whether_it_exists(base_demo: Base) -> None:
    restreinte = base_pour(base_demo, Portee(territoires=("cambrai",)))
    autre = sorted(set(_codes_de_region(base_demo, HAUTS_DE_FRANCE)) - {"cambrai"})[0]
    try:
        for filtres in (Filtres(territoire=(autre,)), Filtres(territoire=("n-existe-pas",)), Filtres(region=("84",))):
            with pytest.raises(HorsPerimetre, match="hors de votre périmètre"):
                verifier_filtres(restreinte, filtres)
        assert verifier_filtres(restreinte, Filtres(region=(HAUTS_DE_FRANCE,))).region == (HAUTS_DE_FRANCE,)
        assert set(perimetre.territoires(restreinte, Filtres())["code_territoire"]) == {"cambrai"}
    finally:
        restreinte.fermer()


def test_a_national_scope_reads_the_base_itself(base_demo: Base) -> None:
    assert base_pour(base_demo, Portee()) is base_demo
    assert Portee().libelle() == "national"
    assert Portee(("32",), ("cambrai",)).libelle() == "région(s) 32 ; territoire(s) cambrai"


def test_errors_are_french_rebond_errors() -> None:
    assert issubclass(TableNonClassee, RebondError) and issubclass(HorsPerimetre, RebondError)


def test_file_names_are_masked_in_a_scoped_base(base_demo: Base) -> None:
    """A file name may name a territory: the scoped base keeps fingerprints and counts, not names."""
    noms = {f["nom"] for v in liste_versions(base_demo) for f in v["fichiers"]}
    assert noms == {"releve-demo.xlsx"}
    restreinte = base_pour(base_demo, Portee(territoires=("cambrai",)))
    try:
        versions = liste_versions(restreinte)
    finally:
        restreinte.fermer()
    assert [f["nom"] for v in versions for f in v["fichiers"]] == ["fichier 1 (nom masqué hors périmètre national)"]
    assert [f["sha256"] for v in versions for f in v["fichiers"]] == [
        f["sha256"] for v in liste_versions(base_demo) for f in v["fichiers"]
    ]
