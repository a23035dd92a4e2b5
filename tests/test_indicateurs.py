"""Indicators on a small hand-built base, against sums computed by hand (see the table in each test)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from rebond_core.cli import main
from rebond_core.db import Base
from rebond_core.erreurs import ValeurFiltreInconnue
from rebond_core.importation.pipeline import importer
from rebond_core.indicateurs import INDICATEURS, Filtres, calculer, en_json, verifier_filtres
from tests.outils.classeurs import ecrire_classeur

TERRITOIRES = [
    {
        "code_territoire": "ta",
        "nom": "Territoire A",
        "releve": 1,
        "region": "32",
        "epci": "200044618",
        "filieres": "automobile",
        "statut_mission": "terminee",
        "cout_mission_eur": 100000,
        "enveloppe_aides_eur": 2000000,
        "cofinancement_local_eur": 0,
    },
    {
        "code_territoire": "tb",
        "nom": "Territoire B",
        "releve": 2,
        "region": "44",
        "epci": "200041630",
        "filieres": "aeronautique;naval",
        "statut_mission": "en_cours",
        "cout_mission_eur": 150000,
        "enveloppe_aides_eur": 1500000,
    },
    {
        "code_territoire": "tc",
        "nom": "Territoire C",
        "releve": 2,
        "region": "53",
        "epci": "242900835",
        "filieres": "naval",
        "statut_mission": "a_lancer",
        "cout_mission_eur": "50 000,50 €",
        "enveloppe_aides_eur": 1000000,
    },
]


def _projet(
    id_projet: str, territoire: str, filiere: str, statut: str, investissement: object, emplois: int, **autres: object
) -> dict[str, object]:
    return {
        "id_projet": id_projet,
        "code_territoire": territoire,
        "intitule": f"Projet {id_projet}",
        "entreprise": f"Entreprise {id_projet}",
        "filiere": filiere,
        "origine": "endogene",
        "statut": statut,
        "investissement_eur": investissement,
        "emplois_prevus": emplois,
        **autres,
    }


PROJETS = [
    _projet(
        "P1",
        "ta",
        "automobile",
        "accorde",
        1000000,
        10,
        emplois_crees=4,
        aide_demandee_eur=300000,
        subvention_eur=200000,
        avance_remboursable_eur=50000,
        date_decision=date(2023, 5, 1),
    ),
    _projet("P2", "ta", "automobile", "priorise", 500000, 5, aide_demandee_eur=100000),
    _projet("P3", "ta", "hors_transport", "refuse", 2000000, 20, date_decision=date(2023, 6, 1)),
    _projet("P4", "tb", "aeronautique", "depose", "750 000,50", 7, aide_demandee_eur=80000),
    _projet(
        "P5",
        "tb",
        "naval",
        "accorde",
        3000000,
        30,
        emplois_crees=0,
        aide_demandee_eur=500000,
        subvention_eur=400000,
        avance_remboursable_eur=0,
        date_decision=date(2024, 1, 10),
    ),
    _projet("P6", "tb", "naval", "abandonne", 100000, 1),
    _projet("P7", "tc", "automobile", "identifie", 250000, 3),
]


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
