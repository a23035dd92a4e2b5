"""A small hand-built base: three territories and seven projects whose sums are easy to work out by hand.

Shared by the tests that need a known base besides the demonstration (indicators, versions).
"""

from __future__ import annotations

from datetime import date

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


def projet(
    id_projet: str, territoire: str, filiere: str, statut: str, investissement: object, emplois: int, **autres: object
) -> dict[str, object]:
    """One row of the `projets` sheet, of origin `endogene`; `autres` adds the optional columns."""
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
    projet(
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
    projet("P2", "ta", "automobile", "priorise", 500000, 5, aide_demandee_eur=100000),
    projet("P3", "ta", "hors_transport", "refuse", 2000000, 20, date_decision=date(2023, 6, 1)),
    projet("P4", "tb", "aeronautique", "depose", "750 000,50", 7, aide_demandee_eur=80000),
    projet(
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
    projet("P6", "tb", "naval", "abandonne", 100000, 1),
    projet("P7", "tc", "automobile", "identifie", 250000, 3),
]
