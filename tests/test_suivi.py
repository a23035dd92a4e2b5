"""The programme after its call (contract 2): the new indicators, the projects to follow, the split of the
envelope and the projection, on a small base imported through the real pipeline (territories and projects
of tests/outils/petite_base.py, plus status dates and payments), against sums worked out by hand at two
reference dates, under filters, and through the command line.

The payments (V1…V6) and status dates, and what each reference date sees:

    P1 ta accordé   200 000 subv. + 50 000 avance, décidé 01/05/2023
        V1 01/07/2023 subvention 120 000 · V2 01/02/2024 avance 50 000 · V3 01/03/2025 subvention 80 000
        V4 01/09/2025 remboursement 10 000
    P2 ta priorisé  depuis le 01/03/2024
    P3 ta refusé
    P4 tb déposé    depuis le 01/10/2025
    P5 tb accordé   400 000 subv., décidé 10/01/2024
        V5 15/09/2024 subvention 150 000 · V6 01/03/2026 subvention 100 000
    P6 tb abandonné
    P7 tc identifié depuis le 01/12/2022 (not awaiting a decision: never counted)
    P8 tc déposé    no status date (never counted as waiting too long), naval

    A = 31/07/2024: paid V1, V2; P5 decided 203 days before with no payment; P2 waiting 152 days.
    B = 30/06/2026: paid V1…V6; P2 waiting 851 days; P4 272 days; P5 paid.
"""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from rebond_core import exports, perimetre, projection, referentiel, versions, vues_suivi
from rebond_core.cli import main
from rebond_core.db import Base
from rebond_core.importation.pipeline import importer
from rebond_core.indicateurs import Filtres, calculer, en_json, verifier_filtres
from tests.outils.classeurs import ecrire_classeur
from tests.outils.petite_base import PROJETS, TERRITOIRES, projet

A, B = date(2024, 7, 31), date(2026, 6, 30)
DATES_STATUT = {"P1": date(2023, 5, 1), "P2": date(2024, 3, 1), "P4": date(2025, 10, 1), "P7": date(2022, 12, 1)}
PROJETS_2 = [
    p | {"date_statut": DATES_STATUT[p["id_projet"]]} if p["id_projet"] in DATES_STATUT else p for p in PROJETS
]
PROJETS_2.append(projet("P8", "tc", "naval", "depose", 400000, 4, aide_demandee_eur=60000))


def _versement(cle: str, projet_: str, jour: date, nature: str, montant: int) -> dict[str, object]:
    return {"id_versement": cle, "id_projet": projet_, "date": jour, "nature": nature, "montant_eur": montant}


VERSEMENTS = [
    _versement("V1", "P1", date(2023, 7, 1), "subvention", 120_000),
    _versement("V2", "P1", date(2024, 2, 1), "avance", 50_000),
    _versement("V3", "P1", date(2025, 3, 1), "subvention", 80_000),
    _versement("V4", "P1", date(2025, 9, 1), "remboursement", 10_000),
    _versement("V5", "P5", date(2024, 9, 15), "subvention", 150_000),
    _versement("V6", "P5", date(2026, 3, 1), "subvention", 100_000),
]


@pytest.fixture
def base_suivi(base_vide: Base, tmp_path: Path) -> Base:
    classeur = ecrire_classeur(
        tmp_path / "contrat2.xlsx", {"territoires": TERRITOIRES, "projets": PROJETS_2, "versements": VERSEMENTS}
    )
    resultat = importer(base_vide, [classeur], "test")
    assert resultat.rapport.valide, [p.en_ligne() for p in resultat.rapport.problemes]
    return base_vide


def _valeurs(base: Base, au: date, **filtres: tuple[object, ...]) -> dict[str, object]:
    return calculer(base, verifier_filtres(base, Filtres(au=au, **filtres))).valeurs  # type: ignore[arg-type]


NOUVELLES = (
    "versements.subventions_eur",
    "versements.avances_eur",
    "versements.verse_eur",
    "versements.taux",
    "versements.rembourse_eur",
    "projets.en_attente_12_mois",
    "projets.accordes_sans_versement",
)


def _datees(v: dict[str, object]) -> tuple[object, ...]:
    return tuple(v[cle] for cle in NOUVELLES)


# --- the keys that do not depend on the date ----------------------------------------------------------------


def test_totaux_detectes_emplois_crees_et_jamais_alloue(base_suivi: Base) -> None:
    v = _valeurs(base_suivi, B)
    # P1…P8 whatever their status.
    assert v["investissement_eur.detecte"] == Decimal("8000000.50")  # 1 000 000 + … + 750 000,50 + … + 400 000
    assert v["emplois.detectes"] == 10 + 5 + 20 + 7 + 30 + 1 + 3 + 4
    assert v["emplois.crees_soutenus"] == 4 + 0  # P1, P5
    assert v["emplois.taux_realisation"] == Decimal(4) / 40
    assert v["enveloppe_aides.non_alloue_eur"] == 90_000_000 - (2_000_000 + 1_500_000 + 1_000_000)
    # The active ones only (P1, P2, P4, P5, P7, P8), unchanged.
    assert v["investissement_eur.potentiel"] == Decimal("5900000.50")
    # The same keys under a filter: relève 2 is tb and tc (P4…P8).
    r2 = _valeurs(base_suivi, B, releve=(2,))
    assert r2["investissement_eur.detecte"] == Decimal("750000.50") + 3_000_000 + 100_000 + 250_000 + 400_000
    assert r2["emplois.detectes"] == 7 + 30 + 1 + 3 + 4
    assert (r2["emplois.crees_soutenus"], r2["emplois.taux_realisation"]) == (0, 0)  # P5: 0 of 30
    assert r2["enveloppe_aides.non_alloue_eur"] == 85_500_000  # the whole base, whatever the filters


# --- the keys that depend on the reference date -----------------------------------------------------------


def test_sans_filtre_aux_deux_dates(base_suivi: Base) -> None:
    # A: V1, V2 paid; nothing repaid; P2 waits 152 days; P5 granted 203 days before, no payment yet.
    assert _datees(_valeurs(base_suivi, A)) == (120_000, 50_000, 170_000, Decimal(170_000) / 650_000, 0, 0, 1)
    # B: V1…V6; V4 repaid; P2 waits 851 days (P4 272, P8 no date); P5 was paid on 15/09/2024.
    assert _datees(_valeurs(base_suivi, B)) == (
        120_000 + 80_000 + 150_000 + 100_000,
        50_000,
        500_000,
        Decimal(500_000) / 650_000,
        10_000,
        1,
        0,
    )


@pytest.mark.parametrize(
    ("filtres", "a", "b"),
    [
        # ta (P1, P2, P3): P1's payments; P2 waits.
        (
            {"region": ("32",)},
            (120_000, 50_000, 170_000, Decimal(170_000) / 250_000, 0, 0, 0),
            (200_000, 50_000, 250_000, 1, 10_000, 1, 0),
        ),
        # tb (P4, P5, P6): P5 unpaid at A, then 250 000 of its 400 000.
        ({"region": ("44",)}, (0, 0, 0, 0, 0, 0, 1), (250_000, 0, 250_000, Decimal(250_000) / 400_000, 0, 0, 0)),
        # naval: P5, P6, P8 (tb, tc); P8 has no status date.
        ({"filiere": ("naval",)}, (0, 0, 0, 0, 0, 0, 1), (250_000, 0, 250_000, Decimal(250_000) / 400_000, 0, 0, 0)),
        # relève 1 and automobile: P1, P2 (ta).
        (
            {"releve": (1,), "filiere": ("automobile",)},
            (120_000, 50_000, 170_000, Decimal(170_000) / 250_000, 0, 0, 0),
            (200_000, 50_000, 250_000, 1, 10_000, 1, 0),
        ),
        # tc: P7, P8, nothing engaged: no rate.
        ({"territoire": ("tc",)}, (0, 0, 0, None, 0, 0, 0), (0, 0, 0, None, 0, 0, 0)),
    ],
)
def test_sous_filtres_aux_deux_dates(
    base_suivi: Base, filtres: dict[str, tuple[object, ...]], a: tuple[object, ...], b: tuple[object, ...]
) -> None:
    assert _datees(_valeurs(base_suivi, A, **filtres)) == a
    assert _datees(_valeurs(base_suivi, B, **filtres)) == b


def test_seuils_des_delais_au_jour_pres(base_suivi: Base) -> None:
    # P5 decided 10/01/2024: 180 days on 08/07/2024 (not more than 180), 181 the day after.
    assert _valeurs(base_suivi, date(2024, 7, 8))["projets.accordes_sans_versement"] == 0
    assert _valeurs(base_suivi, date(2024, 7, 9))["projets.accordes_sans_versement"] == 1
    # P2 prioritised 01/03/2024: 365 days on 01/03/2025, 366 the day after.
    assert _valeurs(base_suivi, date(2025, 3, 1))["projets.en_attente_12_mois"] == 0
    assert _valeurs(base_suivi, date(2025, 3, 2))["projets.en_attente_12_mois"] == 1
    # A payment dated on the reference date counts: V5 on 15/09/2024.
    assert _valeurs(base_suivi, date(2024, 9, 14))["versements.subventions_eur"] == 120_000
    assert _valeurs(base_suivi, date(2024, 9, 15))["versements.subventions_eur"] == 270_000


def test_ratios_vides_sans_aide_ni_emploi_soutenu(base_suivi: Base) -> None:
    v = _valeurs(base_suivi, B, filiere=("hors_transport",))  # P3, refused
    assert (v["versements.taux"], v["emplois.taux_realisation"], v["versements.verse_eur"]) == (None, None, 0)


def test_la_date_de_reference_est_celle_du_jour_par_defaut(base_suivi: Base) -> None:
    assert verifier_filtres(base_suivi, Filtres()).au == date.today()
    assert calculer(base_suivi, Filtres()).au == date.today()
    # Today (after 30/06/2026), everything is paid as at B; P4 (01/10/2025) has waited more than a year
    # once 01/10/2026 is past.
    v = calculer(base_suivi, Filtres()).valeurs
    assert v["versements.verse_eur"] == 500_000
    assert v["projets.en_attente_12_mois"] == (2 if date.today() > date(2026, 10, 1) else 1)


def test_commande_json_a_deux_dates(
    base_suivi: Base, chemin_base_vide: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base_suivi.fermer()
    for au, attendu in (
        ("2024-07-31", {"subventions_eur": 120000, "avances_eur": 50000, "verse_eur": 170000, "rembourse_eur": 0}),
        ("2026-06-30", {"subventions_eur": 200000, "avances_eur": 50000, "verse_eur": 250000, "rembourse_eur": 10000}),
    ):
        code = main(["indicateurs", "--json", "--db", str(chemin_base_vide), "--region", "32", "--au", au])
        assert code == 0
        donnees = json.loads(capsys.readouterr().out)
        versements_ = donnees["versements"]
        assert {k: versements_[k] for k in attendu} == attendu
        assert versements_["taux"] == pytest.approx(attendu["verse_eur"] / 250_000)
        assert donnees["projets"]["en_attente_12_mois"] == (0 if au.startswith("2024") else 1)
        assert donnees["projets"]["accordes_sans_versement"] == 0
        assert donnees["investissement_eur"]["detecte"] == 3_500_000  # P1, P2, P3
        assert donnees["emplois"]["detectes"] == 35
        assert donnees["emplois"]["crees_soutenus"] == 4
        assert donnees["emplois"]["taux_realisation"] == pytest.approx(0.4)  # 4 of P1's 10
        assert donnees["enveloppe_aides"]["non_alloue_eur"] == 85_500_000
    assert main(["indicateurs", "--json", "--db", str(chemin_base_vide), "--au", "31/07/2024"]) == 2
    assert "Date de référence invalide" in capsys.readouterr().err


def test_commande_texte_avec_les_unites(
    base_suivi: Base, chemin_base_vide: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base_suivi.fermer()
    assert main(["indicateurs", "--db", str(chemin_base_vide), "--au", "2024-07-31"]) == 0
    lignes = {ligne[:40].strip(): ligne[40:].strip() for ligne in capsys.readouterr().out.splitlines()}
    assert lignes["Aides versées"] == "0,17\u00a0M€"
    assert lignes["Part versée des aides"] == "26,2\u00a0%"  # 170 000 / 650 000
    assert lignes["Accordés sans versement"] == "1"
    assert lignes["Effet de levier"] == "6,2\u00a0€/€"  # 4 000 000 / 650 000


# --- the scope tables at a date -----------------------------------------------------------------------------


def test_versements_par_date_et_liste(base_suivi: Base) -> None:
    par_date = perimetre.versements_par_date(base_suivi, Filtres(au=date(2025, 6, 1)))
    assert [d.isoformat()[:10] for d in par_date["date"]] == ["2023-07-01", "2024-02-01", "2024-09-15", "2025-03-01"]
    assert list(par_date["cumul_verse_eur"]) == [120_000, 170_000, 320_000, 400_000]
    assert list(par_date["cumul_rembourse_eur"]) == [0, 0, 0, 0]
    liste = perimetre.versements(base_suivi, Filtres(au=B, territoire=("ta",)))
    assert list(liste["id_versement"]) == ["V4", "V3", "V2", "V1"]  # newest first, P1's only
    vue = vues_suivi.vue_versements(liste)
    assert list(vue["Nature"]) == [
        "Remboursement d'avance",
        "Versement de subvention",
        "Versement d'avance remboursable",
        "Versement de subvention",
    ]


def test_aides_par_date_jusqu_a_la_date_de_reference(base_suivi: Base) -> None:
    aides = perimetre.aides_par_date(base_suivi, Filtres(au=date(2023, 12, 31)))
    assert list(aides["aides_eur"]) == [250_000]  # P1 only: P5 was decided on 10/01/2024


def test_projets_a_suivre_a_deux_dates(base_suivi: Base) -> None:
    suivis = vues_suivi.projets_a_suivre(perimetre.projets(base_suivi, Filtres(au=B)), B)
    # P2 (851 days), P4 (272), P5 (since V6, 121 days), P8 (no status date); P1 is wholly paid.
    assert list(suivis["id_projet"]) == ["P2", "P4", "P5", "P8"]
    assert list(suivis["action"]) == ["decision", "decision", "versement", "decision"]
    assert suivis["jours"].tolist()[:3] == [851, 272, 121] and pd.isna(suivis["jours"].iloc[3])
    assert list(suivis["alerte"]) == [True, False, False, False]
    assert suivis["reste_a_verser_eur"].iloc[2] == 150_000
    vue = vues_suivi.vue_a_suivre(suivis)
    assert list(vue["Attente"]) == ["2 ans et 3 mois", "8 mois", "3 mois", "date du statut inconnue"]
    assert list(vue["Alerte"]) == ["sans décision depuis plus de 365 jours", "", "", ""]
    assert pd.isna(vue["Aide accordée (€)"].iloc[0]) and vue["Aide accordée (€)"].iloc[2] == 400_000

    suivis_a = vues_suivi.projets_a_suivre(perimetre.projets(base_suivi, Filtres(au=A)), A)
    # P5 (since its decision, 203 days, no payment: alert), P1 (since V2, 181 days), P2 (152); P4's status is
    # dated after A, P8's unknown: no wait, listed last.
    assert list(suivis_a["id_projet"]) == ["P5", "P1", "P2", "P4", "P8"]
    assert list(suivis_a["alerte"]) == [True, False, False, False, False]
    assert list(suivis_a["attente"])[3] == "après le 31/07/2024"
    assert vues_suivi.comptes_a_suivre(suivis_a) == vues_suivi.ComptesASuivre(3, 0, 2, 1)


def test_filtrer_les_projets_a_suivre(base_suivi: Base) -> None:
    suivis = vues_suivi.projets_a_suivre(perimetre.projets(base_suivi, Filtres(au=B)), B)
    assert list(vues_suivi.filtrer_a_suivre(suivis, ["versement"])["id_projet"]) == ["P5"]
    assert list(vues_suivi.filtrer_a_suivre(suivis, alertes_seulement=True)["id_projet"]) == ["P2"]
    assert list(vues_suivi.filtrer_a_suivre(suivis, jours_min=200)["id_projet"]) == ["P2", "P4"]
    assert vues_suivi.description_criteres(["versement"], True, 30) == (
        "Action attendue : Versement attendu ; alertes seulement ; attente d'au moins 30 jours"
    )


def test_repartition_des_90_millions(base_suivi: Base) -> None:
    parts = vues_suivi.repartition_enveloppe(_valeurs(base_suivi, B), filtre=False)
    assert [(p.code, p.montant_eur) for p in parts] == [
        ("verse", 500_000),
        ("engage_non_verse", 150_000),
        ("alloue_non_engage", 3_850_000),  # 4 500 000 allotted − 650 000 engaged
        ("jamais_alloue", 85_500_000),
    ]
    assert sum(p.montant_eur for p in parts) == 90_000_000
    parts = vues_suivi.repartition_enveloppe(_valeurs(base_suivi, B, region=("32",)), filtre=True)
    assert [(p.code, p.montant_eur) for p in parts] == [
        ("verse", 250_000),
        ("engage_non_verse", 0),
        ("alloue_non_engage", 1_750_000),
        ("autres_territoires", 2_500_000),  # tb and tc
        ("jamais_alloue", 85_500_000),
    ]
    assert sum(p.montant_eur for p in parts) == 90_000_000


# --- the projection of the remaining envelope -------------------------------------------------------------


def _aides(*couples: tuple[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"date_decision": [pd.Timestamp(d) for d, _ in couples], "aides_eur": [m for _, m in couples]})


def test_projection_sans_decision_recente_ne_donne_pas_de_date() -> None:
    p = projection.projection_epuisement(_aides(("2025-10-22", 1_000_000)), Decimal(0), date(2026, 11, 29))
    assert (p.epuisement, p.rythme_annuel_eur, p.derniere_decision) == (None, 0, date(2025, 10, 22))
    assert p.debut_fenetre == date(2025, 11, 29)
    assert p.constat.startswith(
        "Pas de rythme récent : aucune décision depuis le 22/10/2025 (fenêtre mesurée du 29/11/2025 au 29/11/2026)."
    )
    assert "L'appel est clos depuis le 01/10/2026" in p.constat


def test_projection_mesuree_jusqu_a_la_date_de_reference() -> None:
    # 12 M€ decided in the year up to 01/06/2025 (the 2 M€ of 2024-01 are outside the window); 88 M€ engaged
    # before 2026 would be 76 M€ ... here 14 M€ engaged: 76 M€ remain, 76 / 12 years = 6 years 4 months: past
    # 2030, no date.
    aides = _aides(("2024-01-15", 2_000_000), ("2024-09-01", 5_000_000), ("2025-05-01", 7_000_000), ("2026-01-01", 9))
    p = projection.projection_epuisement(aides, Decimal(100_000_000), date(2025, 6, 1))
    assert (p.rythme_annuel_eur, p.engage_eur, p.reste_eur) == (12_000_000, 14_000_000, 76_000_000)
    assert p.epuisement is None and not p.appel_clos
    assert "ne seraient pas épuisés avant la fin de France 2030 (31/12/2030)" in p.constat
    # A faster pace: 40 M€ in the year, 50 M€ engaged, 40 M€ remain: one year later (365 days).
    rapide = _aides(("2024-01-15", 10_000_000), ("2024-09-01", 20_000_000), ("2025-05-01", 20_000_000))
    p = projection.projection_epuisement(rapide, Decimal(100_000_000), date(2025, 6, 1))
    assert p.epuisement == date(2026, 6, 1)
    assert p.constat == (
        "Rythme des décisions du 01/06/2024 au 01/06/2025 : 40,0\u00a0M€ d'aides par an. À ce rythme, les 90 M€ "
        "seraient engagés vers le 01/06/2026."
    )


def test_projection_apres_la_cloture_bornee_par_les_demandes_en_cours() -> None:
    aides = _aides(("2026-03-01", 20_000_000), ("2026-09-01", 30_000_000))  # 50 M€ in the year: 40 M€ remain
    p = projection.projection_epuisement(aides, Decimal(15_000_000), date(2026, 11, 29))
    assert p.appel_clos and p.epuisement is None
    assert (
        "seules les demandes en cours (15,0\u00a0M€) peuvent encore engager les 40,0\u00a0M€ qui restent" in p.constat
    )
    assert "il resterait 25,0\u00a0M€ : l'enveloppe ne sera pas épuisée" in p.constat
    # Enough pending requests: the pace dates the end (40 / 50 of a year = 292 days).
    p = projection.projection_epuisement(aides, Decimal(60_000_000), date(2026, 11, 29))
    assert p.epuisement == date(2027, 9, 17)


def test_projection_sans_aucune_decision() -> None:
    p = projection.projection_epuisement(_aides(), Decimal(0), date(2023, 1, 1))
    assert p.epuisement is None and p.derniere_decision is None
    assert p.constat == "Aucune aide décidée au 01/01/2023 : pas de rythme, aucune date d'épuisement projetée."


# --- demonstration data ---------------------------------------------------------------------------------------


def test_un_siren_de_demonstration_marque_la_base(base_suivi: Base, tmp_path: Path) -> None:
    assert not versions.est_demonstration(base_suivi)
    assert not versions.statut_donnees(base_suivi).demo
    # One project of the demonstration range (0000…, valid Luhn key) imported into this non-demo base.
    classeur = ecrire_classeur(tmp_path / "demo.xlsx", {"projets": [PROJETS_2[6] | {"siren": "000010009"}]})
    assert importer(base_suivi, [classeur], "test").rapport.valide
    assert versions.est_demonstration(base_suivi)
    assert versions.statut_donnees(base_suivi).demo
    assert not versions.est_demonstration(base_suivi, version=1)  # before that import


def test_la_marque_de_demonstration_dans_les_exports() -> None:
    table = pd.DataFrame({"Territoire": ["Douaisis"], "Montant (€)": [1.5]})
    csv = exports.csv_excel_fr(table, ["Rebond industriel — territoires"], demo=True).decode("utf-8-sig")
    lignes = csv.split("\r\n")
    assert lignes[0] == exports.MARQUE_DEMO and lignes[0].startswith("DONNÉES DE DÉMONSTRATION")
    assert lignes[1:3] == ["Rebond industriel — territoires", "Territoire;Montant (€)"]
    assert not exports.csv_excel_fr(table, ["titre"]).decode("utf-8-sig").startswith("DONNÉES")
    classeur = openpyxl.load_workbook(io.BytesIO(exports.xlsx(table, "territoires", ["titre"], demo=True)))
    assert classeur.sheetnames == ["À lire", "territoires"]
    assert classeur["À lire"]["A1"].value == exports.MARQUE_DEMO
    assert classeur["À lire"]["A3"].value == "titre"
    assert classeur["territoires"]["A1"].value == exports.MARQUE_DEMO
    assert [c.value for c in classeur["territoires"][4]] == ["Territoire", "Montant (€)"]
    assert openpyxl.load_workbook(io.BytesIO(exports.xlsx(table, "territoires"))).sheetnames == ["territoires"]


# --- published figures and provenance -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notes", "champs"),
    [
        ("filière automobile is a hypothesis (Renault Douai plant)", {"filieres"}),
        ("4 COPIL; envelope 'at least 2.5 M€'; mission 4 months (start date approximate)", {"date_debut_mission"}),
        (
            "5 M€ envelope IN TOTAL, co-financed by the two agglomerations: the 2.5 M€ Bpifrance / 2.5 M€ local split "
            "is a hypothesis; the 17 projects were 'oriented to' the envelope by the COPIL (prioritised, not "
            "necessarily granted)",
            {"enveloppe_aides_eur", "cofinancement_local_eur"},
        ),
        (
            "the envelope is INFERRED from that figure, not published; relève unknown (4 is a guess; research",
            {"enveloppe_aides_eur", "releve"},
        ),
        (
            "150 consultant-days; first COPIL 3 Jan 2023 (end date approximate); cost assumes 1.5 k€/day",
            {"date_fin_mission", "cout_mission_eur"},
        ),
        ("declared laureate Oct 2023; 115 firms targeted, 59 interviewed", set()),
        (None, set()),
    ],
)
def test_hypotheses_lues_dans_les_notes(notes: str | None, champs: set[str]) -> None:
    assert referentiel.hypotheses_des_notes(notes) == champs


PUBLIE = {
    "code_territoire": "ta",
    "releve": 1,
    "filieres": ["automobile"],
    "enveloppe_aides_eur": Decimal("2000000"),
    "date_debut_mission": date(2023, 1, 3),
    "date_fin_mission": None,
    "releve_certain": False,
    "notes": "filière is a hypothesis",
}
TERRITOIRE_BASE = {
    "code_territoire": "ta",
    "releve": 1,
    "filieres": ["automobile"],
    "enveloppe_aides_eur": Decimal("2500000"),
    "date_debut_mission": pd.Timestamp("2023-01-03"),
    "date_fin_mission": pd.Timestamp("2023-04-30"),
    "cofinancement_local_eur": 0,
    "cabinet": None,
}


def test_provenance_d_un_territoire_de_demonstration() -> None:
    assert referentiel.provenance_territoire(TERRITOIRE_BASE, PUBLIE, demo=True) == {
        "releve": "hypothese",  # releve_certain is not 'oui'
        "filieres": "hypothese",  # the notes say so
        "enveloppe_aides_eur": "fictif",  # the base holds another value than the published one
        "date_debut_mission": "publie",
        "date_fin_mission": "fictif",  # not published
    }  # no cabinet, no co-funding in the base: no provenance
    sans_source = referentiel.provenance_territoire(TERRITOIRE_BASE, None, demo=True)
    assert set(sans_source.values()) == {"fictif"}
    assert set(referentiel.provenance_territoire(TERRITOIRE_BASE, PUBLIE, demo=False).values()) == {"importe"}


def test_texte_du_bandeau_compte_les_hypotheses() -> None:
    provenance = pd.DataFrame(
        {
            "releve": ["publie", "hypothese", "hypothese"],
            "filieres": ["publie", "publie", "hypothese"],
            "enveloppe_aides_eur": ["publie", "fictif", None],
            "date_debut_mission": ["publie", "publie", "hypothese"],
            "date_fin_mission": ["fictif", "publie", None],
        },
        index=["a", "b", "c"],
    )
    texte = referentiel.texte_demonstration(provenance)
    assert "Réels : les 3 territoires lauréats" in texte
    assert "Relèves : 1 publiée, 2 hypothèses." in texte
    assert "Filières des territoires : 2 publiées, 1 hypothèse." in texte
    assert "Enveloppes d'aides : 1 publiée, 1 fictive." in texte
    assert "Dates de mission : 1 publiée, 1 hypothèse, 1 fictive." in texte  # a: fin fictive; c: début hypothèse


def test_publie_et_detecte_cote_a_cote() -> None:
    publie = {
        "industriels_rencontres": 44,
        "projets_identifies": 88,
        "investissement_identifie_eur": Decimal("286000000"),
        "emplois_potentiels": 645,
        "projets_retenus": None,
        "aides_accordees_eur": None,
        "enveloppe_aides_eur": Decimal("2500000"),
        "notes": "the 2.5 M€ Bpifrance / 2.5 M€ local split is a hypothesis",
    }
    base = {
        "industriels_rencontres": 44,
        "projets_identifies": 90,
        "investissement_identifie_eur": Decimal("285500000"),
        "emplois_potentiels": 645,
        "projets_retenus": 17,
        "aides_accordees_eur": Decimal(0),
        "enveloppe_aides_eur": Decimal("2500000"),
    }
    tableau = vues_suivi.comparaison_publiee(publie, base).set_index("Chiffre")
    assert tableau.loc["Projets identifiés", ["Publié", "Base (détecté)", "Écart"]].tolist() == ["88", "90", "+2"]
    assert tableau.loc["Investissement identifié", "Écart"] == "-0,50\u00a0M€"
    assert tableau.loc["Emplois potentiels", "Écart"] == "="
    assert tableau.loc["Projets retenus pour l'enveloppe", ["Publié", "Écart"]].tolist() == ["non publié", "—"]
    assert tableau.loc["Enveloppe d'aides (Bpifrance)", "Publié"] == "2,50\u00a0M€ (hypothèse)"
    assert set(vues_suivi.comparaison_publiee(None, base)["Publié"]) == {"non publié"}


def test_valeurs_detectees_d_un_territoire(base_suivi: Base) -> None:
    seul = verifier_filtres(base_suivi, Filtres(territoire=("ta",), au=B))
    resultat = calculer(base_suivi, seul)
    territoire = perimetre.territoires(base_suivi, seul).iloc[0]
    detectees = vues_suivi.valeurs_detectees(territoire, resultat.valeurs, resultat.par_statut)
    # ta: P1 granted, P2 prioritised, P3 refused: all three were retained by the COPIL.
    assert detectees["projets_identifies"] == 3
    assert detectees["investissement_identifie_eur"] == 3_500_000
    assert detectees["emplois_potentiels"] == 35
    assert detectees["projets_retenus"] == 3
    assert detectees["aides_accordees_eur"] == 250_000
    assert detectees["enveloppe_aides_eur"] == 2_000_000


def test_la_table_des_laureats_publics_est_dans_chaque_base(base_vide: Base) -> None:
    publics = referentiel.laureats_publics(base_vide)
    assert referentiel.a_laureats_publics(base_vide)
    cambrai = publics.set_index("code_territoire").loc["cambrai"]
    assert (cambrai["projets_identifies"], cambrai["emplois_potentiels"]) == (88, 645)
    assert cambrai["investissement_identifie_eur"] == 286_000_000
    assert not cambrai["releve_certain"] and "hypothesis" in cambrai["notes"]
    assert int((~publics["releve_certain"]).sum()) == 7  # 7 of the 13 relèves are hypotheses
    douaisis = publics.set_index("code_territoire").loc["douaisis"]
    assert list(douaisis["filieres"]) == ["automobile"] and douaisis["releve_certain"]


def test_une_base_plus_ancienne_recoit_les_laureats_publics(base_vide: Base) -> None:
    base_vide.connexion.execute("drop table ref_laureats_publics")
    assert not referentiel.a_laureats_publics(base_vide)
    assert len(referentiel.laureats_publics(base_vide)) == 13  # read from the CSV meanwhile
    assert referentiel.assurer_laureats_publics(base_vide)
    assert referentiel.a_laureats_publics(base_vide) and not referentiel.assurer_laureats_publics(base_vide)
    assert base_vide.scalaire("select count(*) from ref_laureats_publics") == 13


def test_en_json_ne_montre_pas_la_date(base_suivi: Base) -> None:
    donnees = en_json(calculer(base_suivi, Filtres(au=B)))
    assert "au" not in donnees and set(donnees["versements"]) == {
        "subventions_eur",
        "avances_eur",
        "verse_eur",
        "taux",
        "rembourse_eur",
    }


def test_laureats_face_aux_annonces() -> None:
    from rebond_core.config import calendrier_releves

    releves = pd.DataFrame(
        [{"releve": n, "date_limite": pd.Timestamp(d), "laureats": 0, "cumul": 0} for n, d in calendrier_releves()]
    )
    annonces = vues_suivi.laureats_annonces(releves)
    # Ten a year over three relèves a year: 10 at R3, 40 at R12.
    assert annonces.loc[annonces["releve"] == 3, "annonce"].item() == pytest.approx(10)
    assert annonces.loc[annonces["releve"] == 12, "annonce"].item() == pytest.approx(40)
    # 19 laureates by 31/08/2023: the last relève before is R3 (01/06/2023); 21 by 14/01/2025: R7 (01/10/2024).
    jalons = annonces.dropna(subset=["jalon"])
    assert list(zip(jalons["releve"], jalons["jalon"], strict=True)) == [(3, 19), (7, 21)]


def test_laureats_par_provenance_de_leur_releve() -> None:
    releves = pd.DataFrame({"releve": [1, 2, 3], "laureats": [2, 1, 0], "cumul": [2, 3, 3]})
    territoires = pd.DataFrame({"code_territoire": ["a", "b", "c"], "releve": [1, 1, 2]})
    provenance = pd.DataFrame({"releve": ["publie", "hypothese", "hypothese"]}, index=["a", "b", "c"])
    df = vues_suivi.laureats_par_provenance(releves, territoires, provenance)
    assert df[["publie", "hypothese", "fictif", "importe"]].values.tolist() == [
        [1, 1, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 0, 0],
    ]


def test_demandes_en_cours_a_cote_du_reste() -> None:
    valeurs = {
        "enveloppe_aides.demandes_en_cours_eur": Decimal(95_300_000),
        "enveloppe_aides.reste_eur": Decimal(68_200_000),
        "enveloppe_aides.alloue_eur": Decimal(3_000_000),
        "enveloppe_aides.engage_eur": Decimal(1_000_000),
    }
    assert vues_suivi.texte_demandes_et_reste(valeurs, filtre=False) == (
        "Demandes en cours (projets priorisés ou déposés) : **95,3\u00a0M€**, face aux **68,2\u00a0M€** qui "
        "restent de l'enveloppe nationale : elles dépassent de 27,1\u00a0M€ ce qui reste."
    )
    peu = valeurs | {"enveloppe_aides.demandes_en_cours_eur": Decimal(8_200_000)}
    texte = vues_suivi.texte_demandes_et_reste(peu, filtre=True)
    assert "même toutes accordées, il resterait 60,0\u00a0M€" in texte
    assert texte.endswith("Reste des enveloppes des territoires du périmètre : 2,0\u00a0M€.")
