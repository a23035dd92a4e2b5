"""What the pages show, computed without Streamlit (rebond_core.vues_sites, vues_territoire,
vues_historique, apercu_import, figures.segments_aides): expectations worked out by hand."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import pytest

from rebond_core import figures, formats, vues_historique, vues_sites, vues_territoire
from rebond_core.apercu_import import lisible, titre_plan
from rebond_core.erreurs import ReglageInvalide

E, N = "\u202f", "\u00a0"  # thousands separator, space before a unit

# --- the sites page -----------------------------------------------------------------------------------
# Grid "cles_en_main": five criteria of weight 1, in this order.
CODES = ["attractivite_economique", "impact_environnemental", "maitrise_fonciere", "maturite", "coherence_territoriale"]


def _notes(valeur: int | None, sauf_maturite: bool = False) -> str:
    return json.dumps({c: valeur for c in CODES if not (sauf_maturite and c == "maturite")})


# Input order D, C, B, A: A all 5 (score 100), B all 4 (80), C all 3 but maturité not assessed
# (100 × 3·4 / (5·4) = 60, completeness 4/5), D assessed on nothing ("non évalué").
LISTE = pd.DataFrame(
    {
        "id_site": ["S-D", "S-C", "S-B", "S-A"],
        "nom": ["Delta", "Charlie", "Bravo", "Alpha"],
        "code_territoire": ["t1", "t1", "t2", "inconnu"],
        "commune": ["59178", "59178", "29151", None],
        "commune_nom": ["Douai", "Douai", "Morlaix", None],
        "scores": [_notes(None), _notes(3, sauf_maturite=True), _notes(4), _notes(5)],
    }
)
CHOIX = vues_sites.Choix("cles_en_main", (1.0,) * 5, (None,) * 5, tirages=200, ecart_pct=25, top=2)
NOMS_TERRITOIRES = {"t1": "Territoire un", "t2": "Territoire deux"}


@pytest.fixture(scope="module")
def classement() -> vues_sites.ClassementDetaille:
    return vues_sites.classement_detaille(LISTE, CHOIX)


def test_classement_detaille_ordre_et_notes_par_site(classement: vues_sites.ClassementDetaille) -> None:
    tableau = classement.tableau
    assert list(tableau["id_site"]) == ["S-A", "S-B", "S-C", "S-D"]
    assert list(tableau["score"][:3]) == [100.0, 80.0, 60.0] and math.isnan(tableau["score"][3])
    # Scores do not depend on the weights here (equal notes): every draw gives ranks 1, 2, 3.
    assert list(tableau["part_top"][:3]) == [1.0, 1.0, 0.0]
    assert classement.notes.loc["S-C", "maturite"] != classement.notes.loc["S-C", "maturite"]  # NaN
    assert classement.notes.loc["S-B", "maturite"] == 4.0
    assert classement.points.loc["S-A"].tolist() == [20.0] * 5  # 100 × 1·5 / (5·5) each


def test_comptes_et_tete(classement: vues_sites.ClassementDetaille) -> None:
    assert vues_sites.comptes(classement.tableau) == vues_sites.Comptes(4, 3, 1, 3)
    assert vues_sites.tete(classement.tableau, 2) == ["1. Alpha (100,0, robuste)", "2. Bravo (80,0, robuste)"]


def test_vue_du_classement(classement: vues_sites.ClassementDetaille) -> None:
    vue = vues_sites.vue_classement(classement.tableau, NOMS_TERRITOIRES, 2)
    assert list(vue["Rangs 5–95 %"]) == ["1", "2", "3", formats.VIDE]
    assert list(vue["Position"]) == ["robuste", "robuste", "robuste", "écarté"]
    assert list(vue["Territoire"]) == ["inconnu", "Territoire deux", "Territoire un", "Territoire un"]
    assert list(vue["Motif d'écart"]) == ["", "", "", "non évalué"]
    assert "Dans les 2 premiers" in vue.columns


def test_export_du_classement(classement: vues_sites.ClassementDetaille) -> None:
    export = vues_sites.export_classement(classement.tableau, NOMS_TERRITOIRES, 2)
    ligne_c = export.set_index("Identifiant").loc["S-C"]
    assert (ligne_c["Score"], ligne_c["Complétude (%)"], ligne_c["Part dans les 2 premiers (%)"]) == (60.0, 80.0, 0.0)
    assert list(export.columns[:4]) == ["Identifiant", "Site", "Territoire", "Commune"]


def test_entete_de_l_export_decrit_les_reglages() -> None:
    choix = vues_sites.Choix("cles_en_main", (3.0, 0.5, 1.125, 1000.0, 1.0), (None, None, None, 3, None), True)
    entete = vues_sites.entete_export("Région : Bretagne", 7, choix)
    assert entete[0] == "Rebond industriel — classement des sites — Région : Bretagne"
    assert entete[1] == "Version 7 — grille : Sites clés en main France 2030 (cles_en_main)"
    assert entete[2:7] == [
        "Critère Attractivité économique : poids 3, seuil aucun",
        "Critère Impact environnemental limité : poids 0,5, seuil aucun",
        "Critère Maîtrise foncière : poids 1,125, seuil aucun",
        f"Critère Maturité : poids 1{E}000, seuil note ≥ 3",
        "Critère Cohérence avec le projet de territoire : poids 1, seuil aucun",
    ]
    assert entete[7] == "Critère non évalué : compte 0"
    assert entete[8] == "Robustesse : 1000 tirages, poids à ± 25 %, tête = 3 premiers, graine 20230308"


def test_tous_les_poids_nuls_refuses() -> None:
    with pytest.raises(ReglageInvalide, match="Au moins un poids"):
        vues_sites.Choix("cles_en_main", (0.0,) * 5, (None,) * 5).reglages()


def test_explication_du_score() -> None:
    texte = vues_sites.explication_score(vues_sites.Choix("cles_en_main", (1.0,) * 5, (None,) * 5, True, 2500, 10))
    assert "sur les critères évalués (un critère non évalué compte 0) ;" in texte
    assert f"2{E}500 tirages des poids, chacun dans ± 10 % de sa valeur (graine fixe 20230308)" in texte
    assert "(un critère" not in vues_sites.explication_score(CHOIX)


def test_etat_d_un_site(classement: vues_sites.ClassementDetaille) -> None:
    lignes = classement.tableau.set_index("id_site")
    assert vues_sites.etat_site(lignes.loc["S-C"]) == f"rang 3, score 60,0, complétude 80{N}%, position robuste"
    assert vues_sites.etat_site(lignes.loc["S-D"]) == f"écarté (non évalué), score —, complétude 0{N}%"


def test_site_ecarte_par_un_seuil() -> None:
    choix = vues_sites.Choix("cles_en_main", (1.0,) * 5, (None, None, None, 3, None))
    ligne = vues_sites.classement_detaille(LISTE, choix).tableau.set_index("id_site").loc["S-C"]
    assert vues_sites.etat_site(ligne) == (
        f"écarté (non retenu : Maturité non évalué (seuil 3)), score 60,0, complétude 80{N}%"
    )


def test_detail_d_un_site_et_moyenne_des_autres(classement: vues_sites.ClassementDetaille) -> None:
    detail = vues_sites.detail_site(classement, CHOIX, "S-A").set_index("libelle")
    assert detail["points"].tolist() == [20.0] * 5
    assert detail.loc["Maturité", "moyenne_autres"] == 4.0  # only B is assessed on it among the others
    assert detail.loc["Maîtrise foncière", "moyenne_autres"] == 3.5  # (4 + 3) / 2, D not assessed
    detail_c = vues_sites.detail_site(classement, CHOIX, "S-C").set_index("libelle")
    assert detail_c.loc["Maturité", "points"] == 0.0 and math.isnan(detail_c.loc["Maturité", "score"])
    assert detail_c.loc["Attractivité économique", "points"] == 15.0  # 100 × 3 / (5 × 4)


def test_detail_d_un_site_seul() -> None:
    seul = vues_sites.classement_detaille(LISTE.iloc[[3]], CHOIX)
    detail = vues_sites.detail_site(seul, CHOIX, "S-A")
    assert detail["moyenne_autres"].isna().all()


@pytest.mark.parametrize(
    ("bas", "haut", "attendu"), [(2, 4, "2 – 4"), (3, 3, "3"), (pd.NA, pd.NA, formats.VIDE), (None, None, "—")]
)
def test_intervalle_des_rangs(bas: object, haut: object, attendu: str) -> None:
    assert vues_sites.intervalle_rangs(bas, haut) == attendu


@pytest.mark.parametrize(("poids", "attendu"), [(3.0, "3"), (0.5, "0,5"), (1.125, "1,125"), (2.0004, "2")])
def test_poids_tel_que_saisi(poids: float, attendu: str) -> None:
    assert vues_sites.poids(poids) == attendu


# --- the territory page -------------------------------------------------------------------------------

TERRITOIRE = {
    "region_nom": "Hauts-de-France",
    "releve": 3,
    "filieres": ["automobile", "naval"],
    "statut_mission": "en_cours",
    "date_debut_mission": pd.Timestamp("2023-02-01"),
    "date_fin_mission": None,
    "cabinet": None,
    "industriels_rencontres": 1234,
}


def test_identite_d_un_territoire() -> None:
    assert vues_territoire.identite(TERRITOIRE, {3: "Relève 3 (01/06/2023)"}) == [
        ("Région", "Hauts-de-France", None),
        ("Relève", "Relève 3 (01/06/2023)", None),
        ("Filières", "Automobile, Naval", None),
        ("Mission d'ingénierie", "En cours", None),
        ("Début de mission", "01/02/2023", None),
        ("Fin de mission", "—", None),
        ("Cabinet", "—", None),
        ("Coût de la mission", "—", None),
        ("Industriels rencontrés", f"1{E}234", None),
    ]


def test_identite_avec_provenance_et_valeurs_manquantes() -> None:
    territoire = TERRITOIRE | {
        "cabinet": " ",
        "industriels_rencontres": pd.NA,
        "date_fin_mission": date(2024, 1, 31),
        "cout_mission_eur": Decimal("150000"),
    }
    origine = {"releve": "hypothese", "filieres": "publie", "date_fin_mission": "fictif"}
    lignes = {libelle: (texte, p) for libelle, texte, p in vues_territoire.identite(territoire, {}, origine)}
    assert lignes["Relève"] == ("3", "hypothese")
    assert lignes["Filières"] == ("Automobile, Naval", "publie")
    assert lignes["Fin de mission"] == ("31/01/2024", "fictif")
    assert lignes["Début de mission"] == ("01/02/2023", None)  # no provenance given for it
    assert lignes["Coût de la mission"] == (f"150{E}000{N}€", None)
    assert (lignes["Cabinet"][0], lignes["Industriels rencontrés"][0]) == ("—", "—")


def test_valeurs_incertaines_d_un_territoire() -> None:
    provenance = pd.DataFrame(
        {
            "releve": ["hypothese", "publie"],
            "filieres": ["hypothese", "publie"],
            "enveloppe_aides_eur": ["fictif", "publie"],
            "date_debut_mission": [None, "publie"],
            "date_fin_mission": ["publie", "importe"],
        },
        index=["t1", "t2"],
    )
    assert vues_territoire.valeurs_incertaines(provenance, "t1") == (
        "relève : hypothèse ; filières : hypothèse ; enveloppe d'aides : fictive"
    )
    assert vues_territoire.valeurs_incertaines(provenance, "t2") == ""
    assert vues_territoire.valeurs_incertaines(provenance, "absent") == ""


PROJETS = pd.DataFrame(
    {
        "intitule": ["Atelier de peinture", "Ligne de montage", "Entrepôt", "Banc d'essai"],
        "entreprise": ["Firme A", "ÉCOLE Navale SA", "Firme C", None],
        "commune_nom": ["Douai", None, "Lorient", "Atelier-sur-Mer"],
        "statut": ["accorde", "identifie", "accorde", "refuse"],
        "filiere": ["automobile", "naval", "naval", "automobile"],
    }
)


@pytest.mark.parametrize(
    ("texte", "statuts", "filieres", "lignes"),
    [
        ("", (), (), [0, 1, 2, 3]),
        ("  ", (), (), [0, 1, 2, 3]),
        ("ATELIER", (), (), [0, 3]),  # title or commune, case-folded
        ("école", (), (), [1]),  # company, accents kept, case folded
        ("", ("accorde",), (), [0, 2]),
        ("", ("accorde",), ("naval",), [2]),
        ("atelier", ("accorde", "refuse"), ("automobile",), [0, 3]),
        ("introuvable", (), (), []),
    ],
)
def test_recherche_de_projets(
    texte: str, statuts: tuple[str, ...], filieres: tuple[str, ...], lignes: list[int]
) -> None:
    assert list(vues_territoire.rechercher_projets(PROJETS, texte, statuts, filieres).index) == lignes


COMPARAISON = pd.DataFrame(
    {
        "ratio": ["Projets", "Investissement par projet", "Emplois par projet", "Part engagée", "Aide par emploi"],
        "territoire": [12, 2_500_000.0, 3.25, 0.1234, pd.NA],
        "mediane": [8.0, 45_000.0, float("nan"), 0.5, 20_000.0],
        "ecart": [0.5, 54.5555, None, -0.7532, float("nan")],
        "unite": [formats.NOMBRE, formats.EUROS, formats.RATIO, formats.TAUX, formats.EUROS],
    }
)


def test_comparaison_avec_la_mediane_formatee_par_unite() -> None:
    affichee = vues_territoire.comparaison_affichee(COMPARAISON)
    assert list(affichee.columns) == ["Ratio", "Territoire", "Médiane", "Écart"]
    assert list(affichee["Territoire"]) == ["12", f"2,50{N}M€", "3,3", f"12,3{N}%", "—"]
    assert list(affichee["Médiane"]) == ["8", f"45{E}000{N}€", "—", f"50,0{N}%", f"20{E}000{N}€"]
    assert list(affichee["Écart"]) == [f"50{N}%", f"5{E}456{N}%", "—", f"-75{N}%", "—"]
    assert list(vues_territoire.comparaison_export(COMPARAISON).columns) == ["Ratio", "Territoire", "Médiane", "Écart"]


# --- the history page ---------------------------------------------------------------------------------


def test_liste_des_versions_la_plus_recente_en_haut() -> None:
    versions = [
        {
            "numero": 1,
            "date": "2022-11-14T10:05:00",
            "auteur": "Démo",
            "fichiers": [{"nom": "releve.xlsx", "sha256": "0123456789abcdef"}],
            "comptes": {"projets": {"ajoutees": 3, "modifiees": 0}},
            "restaure": None,
        },
        {
            "numero": 2,
            "date": datetime(2023, 1, 2, 8, 30),
            "auteur": "Camille",
            "fichiers": [],
            "comptes": {"projets": {"ajoutees": 0, "modifiees": 1, "retirees": 2}},
            "restaure": 1,
        },
    ]
    tableau = vues_historique.tableau_versions(versions)
    assert tableau.to_dict("records") == [
        {
            "Version": 2,
            "Date": "02/01/2023 à 08:30",
            "Auteur": "Camille",
            "Fichiers (SHA-256 court)": "Restauration de la version 1",
            "Lignes (+ ajoutées, ~ modifiées, − retirées)": "projets : +0 ~1 −2",
        },
        {
            "Version": 1,
            "Date": "14/11/2022 à 10:05",
            "Auteur": "Démo",
            "Fichiers (SHA-256 court)": "releve.xlsx (0123456789ab)",
            "Lignes (+ ajoutées, ~ modifiées, − retirées)": "projets : +3 ~0",
        },
    ]


@pytest.mark.parametrize(
    ("valeur", "unite", "attendu"),
    [
        (0, formats.NOMBRE, "="),
        (Decimal(0), formats.EUROS, "="),
        (1254, formats.NOMBRE, f"+1{E}254"),
        (Decimal(-250_000), formats.EUROS, f"-0,25{N}M€"),
        (Decimal("0.05"), formats.TAUX, f"+5,0{N}%"),
        (None, formats.RATIO, "—"),
        (float("nan"), formats.RATIO, "—"),
    ],
)
def test_difference_entre_deux_versions(valeur: object, unite: str, attendu: str) -> None:
    assert vues_historique.difference(valeur, unite) == attendu


def test_comparaison_de_deux_versions() -> None:
    comparaison = pd.DataFrame(
        {
            "cle": ["projets.total", "effet_levier"],
            "indicateur": ["Projets détectés", "Effet de levier"],
            "unite": [formats.NOMBRE, formats.RATIO],
            "avant": [0, None],
            "apres": [1254, Decimal("19.49")],
            "difference": [Decimal(1254), None],
        }
    )
    assert vues_historique.tableau_comparaison(comparaison).to_dict("records") == [
        {"Indicateur": "Projets détectés", "Avant": "0", "Après": f"1{E}254", "Différence": f"+1{E}254"},
        {"Indicateur": "Effet de levier", "Avant": "—", "Après": "19,5", "Différence": "—"},
    ]


# --- the import page ----------------------------------------------------------------------------------


def test_valeurs_lisibles_de_l_apercu() -> None:
    assert lisible("filiere", "naval") == "Naval"
    assert lisible("filieres", ["naval", "automobile"]) == "Naval ; Automobile"
    assert lisible("statut", "inconnu") == "inconnu"  # not a known code: as stored
    assert lisible("intitule", None) == "(vide)"
    assert titre_plan("projets", 3, 1, 10) == "projets : 3 ligne(s) ajoutée(s), 1 modifiée(s), 10 inchangée(s)"


# --- the gauges ---------------------------------------------------------------------------------------

VALEURS = {
    "enveloppe_aides.subventions_eur": Decimal(1_000_000),
    "enveloppe_aides.avances_eur": Decimal(500_000),
    "enveloppe_aides.engage_eur": Decimal(1_500_000),
    "enveloppe_aides.alloue_eur": Decimal(2_000_000),
}


def test_segments_de_la_jauge_des_aides() -> None:
    assert figures.segments_aides(VALEURS) == [
        ("Subventions", 1_000_000.0, figures.BLEU_FRANCE),
        ("Avances remboursables", 500_000.0, figures.BLEU_CUMULUS),
    ]
    assert figures.segments_aides(VALEURS, alloue_non_engage=True)[2] == (
        "Alloué non engagé",
        500_000.0,
        figures.BLEU_PALE,
    )
    depasse = VALEURS | {"enveloppe_aides.alloue_eur": Decimal(1_000_000)}
    assert figures.segments_aides(depasse, alloue_non_engage=True)[2][1] == 0.0  # never negative
