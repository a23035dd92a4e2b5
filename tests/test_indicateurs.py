"""Indicators and scope tables on the small hand-built base of tests/outils/petite_base.py, against sums
computed by hand (see the comment in each test)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from rebond_core import perimetre
from rebond_core.cli import main
from rebond_core.db import Base
from rebond_core.erreurs import ValeurFiltreInconnue
from rebond_core.formats import EMPLOIS, EUROS
from rebond_core.importation.pipeline import importer
from rebond_core.indicateurs import ACCORDES, INDICATEURS, Filtres, Indicateur, calculer, en_json, verifier_filtres
from tests.outils.classeurs import ecrire_classeur
from tests.outils.petite_base import PROJETS, TERRITOIRES


@pytest.fixture
def petite_base(base_vide: Base, tmp_path: Path) -> Base:
    classeur = ecrire_classeur(tmp_path / "petite.xlsx", {"territoires": TERRITOIRES, "projets": PROJETS})
    resultat = importer(base_vide, [classeur], "test")
    assert resultat.rapport.valide, [p.en_ligne() for p in resultat.rapport.problemes]
    assert resultat.version == 1
    return base_vide


def _valeurs(base: Base, **filtres: tuple[object, ...]) -> dict[str, object]:
    return calculer(base, verifier_filtres(base, Filtres(**filtres))).valeurs  # type: ignore[arg-type]


def test_sans_filtre(petite_base: Base) -> None:
    resultat = calculer(petite_base, verifier_filtres(petite_base, Filtres()))
    v = resultat.valeurs
    assert v["territoires.nombre"] == 3
    assert v["projets.total"] == 7
    assert resultat.par_statut == {
        "identifie": 1,
        "priorise": 1,
        "depose": 1,
        "accorde": 2,
        "refuse": 1,
        "abandonne": 1,
    }
    # Active = P1, P2, P4, P5, P7.
    assert v["emplois.potentiels"] == 10 + 5 + 7 + 30 + 3
    assert v["investissement_eur.potentiel"] == Decimal("1000000") + 500000 + Decimal("750000.50") + 3000000 + 250000
    assert v["emplois.soutenus"] == 10 + 30
    assert v["investissement_eur.soutenu"] == 1000000 + 3000000
    assert v["emplois.crees"] == 4
    assert v["enveloppe_ingenierie.engage_eur"] == Decimal("300000.50")
    assert v["enveloppe_ingenierie.taux"] == Decimal("300000.50") / 10_000_000
    assert v["enveloppe_aides.alloue_eur"] == 4_500_000
    assert v["enveloppe_aides.subventions_eur"] == 600_000
    assert v["enveloppe_aides.avances_eur"] == 50_000
    assert v["enveloppe_aides.engage_eur"] == 650_000
    assert v["enveloppe_aides.taux"] == Decimal(650_000) / 90_000_000
    assert v["enveloppe_aides.demandes_en_cours_eur"] == 100_000 + 80_000
    assert v["enveloppe_aides.reste_eur"] == 90_000_000 - 650_000
    assert v["effet_levier"] == Decimal(4_000_000) / 650_000
    assert v["aide_par_emploi_eur"] == Decimal(650_000) / 40
    assert resultat.par_filiere["automobile"] == {"nombre": 3, "investissement_eur": 1_750_000, "emplois_prevus": 18}
    assert resultat.par_filiere["aeronautique"] == {
        "nombre": 1,
        "investissement_eur": Decimal("750000.50"),
        "emplois_prevus": 7,
    }
    assert resultat.par_filiere["naval"] == {"nombre": 1, "investissement_eur": 3_000_000, "emplois_prevus": 30}
    assert resultat.par_filiere["hors_transport"] == {"nombre": 0, "investissement_eur": 0, "emplois_prevus": 0}


def test_filtre_region(petite_base: Base) -> None:
    v = _valeurs(petite_base, region=("32",))
    assert (v["territoires.nombre"], v["projets.total"]) == (1, 3)
    assert v["emplois.potentiels"] == 15
    assert v["investissement_eur.potentiel"] == 1_500_000
    assert v["enveloppe_ingenierie.engage_eur"] == 100_000
    assert v["enveloppe_aides.alloue_eur"] == 2_000_000
    assert v["enveloppe_aides.engage_eur"] == 250_000
    assert v["enveloppe_aides.demandes_en_cours_eur"] == 100_000
    assert v["enveloppe_aides.reste_eur"] == 90_000_000 - 650_000  # the whole base, whatever the filters
    assert v["effet_levier"] == 4
    assert v["aide_par_emploi_eur"] == 25_000


def test_filtre_regions_en_ou(petite_base: Base) -> None:
    v = _valeurs(petite_base, region=("44", "53"))
    assert (v["territoires.nombre"], v["projets.total"]) == (2, 4)


def test_filtre_releve(petite_base: Base) -> None:
    v = _valeurs(petite_base, releve=(2,))
    assert (v["territoires.nombre"], v["projets.total"]) == (2, 4)
    assert v["emplois.potentiels"] == 7 + 30 + 3
    assert v["emplois.soutenus"] == 30
    assert v["investissement_eur.potentiel"] == Decimal("4000000.50")
    assert v["enveloppe_ingenierie.engage_eur"] == Decimal("200000.50")
    assert v["enveloppe_aides.alloue_eur"] == 2_500_000
    assert v["enveloppe_aides.engage_eur"] == 400_000
    assert v["enveloppe_aides.demandes_en_cours_eur"] == 80_000
    assert v["effet_levier"] == Decimal("7.5")


def test_filtre_filiere_compte_les_territoires_par_leur_liste(petite_base: Base) -> None:
    # naval: P5, P6 (in tb); T = tb (project) and tc (its filières list says naval, no naval project).
    v = _valeurs(petite_base, filiere=("naval",))
    assert (v["territoires.nombre"], v["projets.total"]) == (2, 2)
    assert v["emplois.potentiels"] == 30
    assert v["investissement_eur.potentiel"] == 3_000_000
    assert v["enveloppe_ingenierie.engage_eur"] == Decimal("200000.50")
    assert v["enveloppe_aides.engage_eur"] == 400_000


def test_filtre_filiere_par_libelle_et_ratios_vides(petite_base: Base) -> None:
    v = _valeurs(petite_base, filiere=("Hors transport",))
    assert (v["territoires.nombre"], v["projets.total"]) == (1, 1)
    assert v["emplois.potentiels"] == 0  # P3 is refused
    assert v["enveloppe_aides.engage_eur"] == 0
    assert v["effet_levier"] is None
    assert v["aide_par_emploi_eur"] is None


def test_filtre_territoire(petite_base: Base) -> None:
    v = _valeurs(petite_base, territoire=("tc",))
    assert (v["territoires.nombre"], v["projets.total"]) == (1, 1)
    assert v["investissement_eur.potentiel"] == 250_000
    assert v["enveloppe_ingenierie.engage_eur"] == Decimal("50000.50")


def test_filtres_combines_en_et(petite_base: Base) -> None:
    # Regions 44 or 53, relève 2, filière automobile: only P7 (tc); tb has no automobile project or filière.
    v = _valeurs(petite_base, region=("44", "53"), releve=(2,), filiere=("automobile",))
    assert (v["territoires.nombre"], v["projets.total"]) == (1, 1)
    assert v["emplois.potentiels"] == 3


@pytest.mark.parametrize(
    "filtres",
    [{"region": ("99",)}, {"releve": (42,)}, {"territoire": ("inconnu",)}, {"filiere": ("spatial",)}],
)
def test_valeur_de_filtre_inconnue(petite_base: Base, filtres: dict[str, tuple[object, ...]]) -> None:
    with pytest.raises(ValeurFiltreInconnue):
        verifier_filtres(petite_base, Filtres(**filtres))  # type: ignore[arg-type]


def test_commande_json_et_statuts(
    petite_base: Base, chemin_base_vide: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    petite_base.fermer()
    assert main(["indicateurs", "--json", "--db", str(chemin_base_vide), "--region", "32"]) == 0
    donnees = json.loads(capsys.readouterr().out)
    assert donnees["territoires"]["nombre"] == 1
    assert donnees["projets"]["par_statut"] == {
        "identifie": 0,
        "priorise": 1,
        "depose": 0,
        "accorde": 1,
        "refuse": 1,
        "abandonne": 0,
    }
    assert donnees["enveloppe_aides"]["engage_eur"] == 250000
    assert donnees["enveloppe_aides"]["taux"] == pytest.approx(250000 / 90_000_000)
    assert donnees["effet_levier"] == 4
    assert set(donnees["projets"]["par_filiere"]) == {
        "automobile",
        "aeronautique",
        "ferroviaire",
        "naval",
        "vehicules_industriels",
        "mobilites_legeres",
        "hors_transport",
    }
    for argument in (["--region", "99"], ["--releve", "99"], ["--territoire", "zz"], ["--filiere", "spatial"]):
        assert main(["indicateurs", "--json", "--db", str(chemin_base_vide), *argument]) == 2
    assert "Région inconnue" in capsys.readouterr().err


def test_chaque_cle_du_registre_est_dans_le_json(petite_base: Base) -> None:
    donnees = en_json(calculer(petite_base))
    for indicateur in INDICATEURS:
        noeud: object = donnees
        for partie in indicateur.cle.split("."):
            assert isinstance(noeud, dict) and partie in noeud, indicateur.cle
            noeud = noeud[partie]
        assert indicateur.libelle and indicateur.mode_de_calcul.endswith(".")


def test_un_indicateur_ajoute_au_registre_est_calcule_et_sort_en_json(petite_base: Base) -> None:
    # Two keys over existing named sums: refused projects' investment, jobs planned on filed ones.
    refuse = Indicateur(
        "investissement_eur.refuse",
        "Investissement refusé",
        EUROS,
        "Somme des investissements des projets refusés.",
        lambda s: s.projets("investissement_eur", ("refuse",)),
    )
    deposes = Indicateur(
        "emplois.deposes",
        "Emplois des projets déposés",
        EMPLOIS,
        "Somme des emplois prévus des projets déposés.",
        lambda s: s.projets("emplois_prevus", ("depose",)),
    )
    registre = (*INDICATEURS, refuse, deposes)
    resultat = calculer(petite_base, Filtres(), registre)
    assert resultat.valeurs["investissement_eur.refuse"] == 2_000_000  # P3
    assert resultat.valeurs["emplois.deposes"] == 7  # P4
    assert resultat.valeurs["emplois.potentiels"] == 55  # the registry's own entries are still there
    donnees = en_json(resultat)
    assert donnees["investissement_eur"]["refuse"] == 2_000_000
    assert donnees["emplois"]["deposes"] == 7
    # Region 44 is tb alone: P4, P5, P6 (none refused).
    v = calculer(petite_base, verifier_filtres(petite_base, Filtres(region=("44",))), registre).valeurs
    assert v["investissement_eur.refuse"] == 0
    assert v["emplois.deposes"] == 7


def test_une_somme_nommee_de_plus_et_une_entree_suffisent(petite_base: Base, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new indicator over a new sum: one named expression in sql/indicateurs.sql, one registry entry."""
    lire = perimetre.sql

    def sql_avec_une_somme(nom: str) -> str:
        texte = lire(nom)
        if nom == "indicateurs":
            ajout = (
                "count(*) as nombre,\n sum(investissement_eur) filter (where date_decision is not null) as decide_eur,"
            )
            texte, avant = texte.replace("count(*) as nombre,", ajout, 1), texte
            assert texte != avant
        return texte

    monkeypatch.setattr(perimetre, "sql", sql_avec_une_somme)
    decide = Indicateur(
        "investissement_eur.decide", "Investissement décidé", EUROS, "…", lambda s: s.projets("decide_eur")
    )
    decide_accorde = Indicateur(
        "investissement_eur.decide_accorde", "…", EUROS, "…", lambda s: s.projets("decide_eur", ACCORDES)
    )
    v = calculer(petite_base, Filtres(), (decide, decide_accorde)).valeurs
    assert v == {
        "investissement_eur.decide": 1_000_000 + 2_000_000 + 3_000_000,
        "investissement_eur.decide_accorde": 4_000_000,
    }


# The scope tables of rebond_core.perimetre on the same hand base: the same domain rules as the indicators.


@pytest.fixture
def base_cofinancee(base_vide: Base, tmp_path: Path) -> Base:
    """The hand base with 500 000 € of local co-funding for tb (ta has 0, tc none)."""
    territoires = [t | {"cofinancement_local_eur": 500000} if t["code_territoire"] == "tb" else t for t in TERRITOIRES]
    classeur = ecrire_classeur(tmp_path / "cofinancee.xlsx", {"territoires": territoires, "projets": PROJETS})
    assert importer(base_vide, [classeur], "test").rapport.valide
    return base_vide


def test_plafond_des_territoires_enveloppe_plus_cofinancement(base_cofinancee: Base) -> None:
    tableau = perimetre.territoires(base_cofinancee, Filtres()).set_index("code_territoire")
    assert tableau["plafond_eur"].to_dict() == {"ta": 2_000_000 + 0, "tb": 1_500_000 + 500_000, "tc": 1_000_000}
    # Aid engaged (granted projects): ta P1 200 000 + 50 000, tb P5 400 000, tc none.
    assert tableau["taux_enveloppe"].to_dict() == {"ta": 250_000 / 2_000_000, "tb": 400_000 / 2_000_000, "tc": 0}


def test_tableau_des_territoires_sommes_par_statut(petite_base: Base) -> None:
    tableau = perimetre.territoires(petite_base, Filtres()).set_index("code_territoire")
    ta = tableau.loc["ta"]
    # ta: P1 granted, P2 prioritised, P3 refused (not active).
    assert (ta["projets"], ta["projets_accordes"]) == (3, 1)
    assert (ta["investissement_potentiel_eur"], ta["investissement_soutenu_eur"]) == (1_500_000, 1_000_000)
    assert (ta["emplois_potentiels"], ta["emplois_soutenus"]) == (15, 10)
    assert ta["aides_engagees_eur"] == 250_000
    # tb: P4 deposited, P5 granted, P6 abandoned (not active).
    assert tableau.loc["tb", "investissement_potentiel_eur"] == 3_750_000.5
    assert tableau.loc["tb", "emplois_potentiels"] == 37


def test_les_statuts_actifs_viennent_du_domaine(petite_base: Base, monkeypatch: pytest.MonkeyPatch) -> None:
    """The SQL binds domaine's statuses: counting refused projects as active changes the tables."""
    monkeypatch.setitem(
        perimetre.REGLES_DOMAINE, "statuts_actifs", ["identifie", "priorise", "depose", "accorde", "refuse"]
    )
    ta = perimetre.territoires(petite_base, Filtres()).set_index("code_territoire").loc["ta"]
    assert (ta["investissement_potentiel_eur"], ta["emplois_potentiels"]) == (1_500_000 + 2_000_000, 15 + 20)


def test_aides_par_date_des_projets_accordes(petite_base: Base) -> None:
    aides = perimetre.aides_par_date(petite_base, Filtres())
    # P1 (1 May 2023) and P5 (10 Jan 2024); P3 has a decision date but is refused.
    assert [d.isoformat()[:10] for d in aides["date_decision"]] == ["2023-05-01", "2024-01-10"]
    assert list(aides["aides_eur"]) == [200_000 + 50_000, 400_000]
    assert list(aides["cumul_eur"]) == [250_000, 650_000]
