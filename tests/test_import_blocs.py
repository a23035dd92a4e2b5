"""A sheet of new rows held as columns (validation.BlocNeuf) gives exactly what its rows give (issue 13).

When a table's one sheet is clean and complete, validation keeps its rows as the validated columns; the
rules on projects read them column-wise (masques.py: which rows may break a rule, exact sums in cents),
and the writer takes the columns as they are. Switched off (`validation.LIGNES_EN_BLOC = False`), every
row is a dict as before. Checked here: random project sheets against the rules, both ways (every field
of every problem, and the plan); whole bases written both ways; that the shortcut is really taken; the
column helpers on their own.
"""

from __future__ import annotations

import csv
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rebond_core.config import CLASSEUR_DEMO, RACINE
from rebond_core.db import Base
from rebond_core.importation import masques, pipeline, regles, validation
from rebond_core.importation.colonnes import ColonneBrute, ValeursCodees
from rebond_core.importation.definitions import definitions
from rebond_core.importation.validation import BlocNeuf, ColonneLue
from tests.outils.bases import TABLES_DONNEES, copie_de, requete, vidage

AUJOURD_HUI = date(2026, 6, 1)


def importer_avec(chemin_base: Path, fichiers: list[Path], en_bloc: bool, simulation: bool = True) -> dict[str, Any]:
    """An import with blocks on or off: its whole report, its plan, and whether the projects' rules read
    a block's columns (`par_colonnes`)."""
    ancien, masque = validation.LIGNES_EN_BLOC, regles._projets_a_verifier
    appels: list[int] = []
    validation.LIGNES_EN_BLOC = en_bloc
    regles._projets_a_verifier = lambda *args: appels.append(1) or masque(*args)  # type: ignore[assignment]
    base = Base.ouvrir(chemin_base)
    try:
        resultat = pipeline.importer(base, fichiers, "tests", simulation=simulation, aujourd_hui=AUJOURD_HUI)
    finally:
        base.fermer()
        validation.LIGNES_EN_BLOC, regles._projets_a_verifier = ancien, masque  # type: ignore[assignment]
    return {
        "problemes": [p.en_dict() for p in resultat.rapport.problemes],
        "tronque": resultat.rapport.tronque,
        "plan": {t: (p.ajoutees, [repr(m) for m in p.modifiees], p.inchangees) for t, p in resultat.plan.items()},
        "version": resultat.version,
        "par_colonnes": bool(appels),
    }


def assert_memes_imports(chemin_base: Path, fichiers: list[Path]) -> dict[str, Any]:
    """The same report and plan with blocks and without; returns the import by blocks."""
    par_blocs = importer_avec(chemin_base, fichiers, True)
    par_lignes = importer_avec(chemin_base, fichiers, False)
    assert not par_lignes.pop("par_colonnes")
    assert {**par_blocs, "par_colonnes": False} == {**par_lignes, "par_colonnes": False}
    return par_blocs


# ---------------------------------------------------------------------------------------------------
# Random project sheets: every rule on projects, both ways

STATUTS = ["identifie", "priorise", "depose", "accorde", "refuse", "abandonne"]
MONTANTS = ["", "0", "1000", "250000,50", "600000", "1500000", "0,01"]
PROJET = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["N", "n", "P-001", "p-002"]),  # new keys, and stored keys respelled (etaler)
        "territoire": st.sampled_from(["douaisis", "douaisis", "inconnu", "DOUAISIS"]),
        "statut": st.sampled_from(STATUTS),
        "emplois_crees": st.sampled_from(["", "0", "3"]),
        "demande": st.sampled_from(["", "500", "300000", "2000000"]),
        "subvention": st.sampled_from(MONTANTS),
        "avance": st.sampled_from(MONTANTS),
        "decision": st.sampled_from(["", "15/03/2024"]),
    }
)


def ecrire_projets(dossier: Path, projets: list[dict[str, str]]) -> Path:
    """The projects as `dossier/projets.csv` (the file's name names its table)."""
    dossier.mkdir(parents=True, exist_ok=True)
    chemin = dossier / "projets.csv"
    with chemin.open("w", encoding="utf-8", newline="") as flux:
        # Every column of the contract's projects: a sheet that lacks one is not a block.
        ecrivain = csv.DictWriter(flux, definitions()["projets"].colonnes, delimiter=";", restval="")
        ecrivain.writeheader()
        for rang, p in enumerate(projets):
            cle = f"{p['id']}-{rang}" if p["id"] in ("N", "n") else p["id"]  # stored keys may repeat: reported
            ecrivain.writerow(
                {
                    "id_projet": cle,
                    "code_territoire": p["territoire"],
                    "intitule": "Projet",
                    "entreprise": "Entreprise",
                    "filiere": "automobile",
                    "origine": "endogene",
                    "statut": p["statut"],
                    "investissement_eur": "1000000",
                    "emplois_prevus": "5",
                    "emplois_crees": p["emplois_crees"],
                    "aide_demandee_eur": p["demande"],
                    "subvention_eur": p["subvention"],
                    "avance_remboursable_eur": p["avance"],
                    "date_decision": p["decision"],
                    "innovant": "non",
                    "transition_ecologique": "oui",
                }
            )
    return chemin


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(projets=st.lists(PROJET, min_size=1, max_size=25), cles_stockees=st.integers(0, 3))
def test_feuilles_de_projets_au_hasard(modele_base_minimale, tmp_path_factory, projets, cles_stockees):
    """Three sheets in four are all new keys (a block to the end); the fourth may name stored projects,
    whose keys are respelled row by row (the block is made rows)."""
    if cles_stockees:
        projets = [{**p, "id": "N"} for p in projets]
    dossier = tmp_path_factory.mktemp("hasard")
    fichier = ecrire_projets(dossier, projets)
    chemin = copie_de(modele_base_minimale, dossier)
    toutes_nouvelles = all(p["id"] in ("N", "n") for p in projets)
    assert assert_memes_imports(chemin, [fichier])["par_colonnes"] == toutes_nouvelles


def test_chaque_regle_des_projets_trouvee_par_les_colonnes(chemin_base_minimale, tmp_path):
    """One row per rule on new projects (`douaisis`: envelope of the minimal base), plus clean rows: the
    block's report names each rule at its row, as the rows' report does."""
    lignes = [
        {"id": "N", "territoire": "inconnu", "statut": "identifie", "emplois_crees": "", "demande": "",
         "subvention": "", "avance": "", "decision": ""},  # ligne 2 : territoire inconnu
        {"id": "N", "territoire": "douaisis", "statut": "identifie", "emplois_crees": "", "demande": "",
         "subvention": "1000", "avance": "", "decision": ""},  # 3 : aide hors accord
        {"id": "N", "territoire": "douaisis", "statut": "refuse", "emplois_crees": "", "demande": "",
         "subvention": "", "avance": "", "decision": ""},  # 4 : date de décision manquante
        {"id": "N", "territoire": "douaisis", "statut": "identifie", "emplois_crees": "3", "demande": "",
         "subvention": "", "avance": "", "decision": ""},  # 5 : emplois créés hors accord
        {"id": "N", "territoire": "douaisis", "statut": "accorde", "emplois_crees": "", "demande": "500",
         "subvention": "400", "avance": "100,01", "decision": "15/03/2024"},  # 6 : aide > demande (d'un centime)
        {"id": "N", "territoire": "douaisis", "statut": "accorde", "emplois_crees": "", "demande": "500",
         "subvention": "400", "avance": "100", "decision": "15/03/2024"},  # 7 : aide = demande, correct
    ]  # fmt: skip
    fichier = ecrire_projets(tmp_path, lignes)
    lus = assert_memes_imports(chemin_base_minimale, [fichier])
    assert lus["par_colonnes"]
    trouves = [(p["code"], p["ligne"]) for p in lus["problemes"]]
    assert trouves == [
        ("territoire-inconnu", 2),
        ("aide-hors-accord", 3),
        ("date-decision-manquante", 4),
        ("emplois-crees-hors-accord", 5),
        ("aide-superieure-demande", 6),
    ]


def test_enveloppe_du_territoire_depassee_par_un_bloc(chemin_base_minimale, tmp_path):
    """Rule 4 summed on the columns: the minimal base's `douaisis` has 500 000 € granted (P-001); new
    granted projects that bring it above its ceiling are reported at the first project of the territory,
    with the same sums as the rows give."""
    plafond = requete(
        chemin_base_minimale,
        "select enveloppe_aides_eur + coalesce(cofinancement_local_eur, 0) from territoires "
        "where code_territoire = 'douaisis' and v_to is null",
    )[0][0]
    deja = Decimal("500000.00")
    reste = plafond - deja
    projet = {"id": "N", "territoire": "douaisis", "statut": "accorde", "emplois_crees": "", "demande": "",
              "avance": "", "decision": "15/03/2024"}  # fmt: skip
    juste = [{**projet, "subvention": str(reste).replace(".", ",")}]
    au_dessus = [
        {**projet, "subvention": "0"},
        {**projet, "subvention": str(reste + Decimal("0.01")).replace(".", ",")},
    ]
    pile = importer_avec(chemin_base_minimale, [ecrire_projets(tmp_path / "juste", juste)], True)
    assert [p["code"] for p in pile["problemes"]] == []
    fichier = ecrire_projets(tmp_path / "au_dessus", au_dessus)
    lus = assert_memes_imports(chemin_base_minimale, [fichier])
    assert lus["par_colonnes"]
    (probleme,) = [p for p in lus["problemes"] if p["code"] == "depassement-enveloppe"]
    assert (probleme["feuille"], probleme["ligne"], probleme["colonne"]) == ("projets", 2, "subvention_eur")


# ---------------------------------------------------------------------------------------------------
# Whole bases written both ways


def _bases_ecrites(modele: Path, fichiers: list[Path], dossier: Path) -> tuple[dict, dict]:
    ecrites = []
    for en_bloc in (True, False):
        chemin = copie_de(modele, dossier, f"bloc-{en_bloc}.duckdb")
        assert importer_avec(chemin, fichiers, en_bloc, simulation=False)["version"] is not None
        contenu = vidage(chemin)
        ecrites.append({t: contenu[t] for t in TABLES_DONNEES})
    return ecrites[0], ecrites[1]


def test_demonstration_ecrite_pareil(modele_base_vide, tmp_path):
    par_blocs, par_lignes = _bases_ecrites(modele_base_vide, [CLASSEUR_DEMO], tmp_path)
    assert par_blocs == par_lignes
    assert len(par_blocs["projets"]) > 1000


def test_grande_base_du_banc_ecrite_pareil_et_sans_faire_les_lignes(modele_base_vide, tmp_path, monkeypatch):
    """The bench's files at factor 2 into an empty base: the same rows written both ways; by blocks, no
    row of the projects is ever made (BlocNeuf.lignes not called for them)."""
    sys.path.insert(0, str(RACINE / "bench"))
    import bench  # noqa: PLC0415 — bench/bench.py

    fichiers = bench.fabriquer_csv(tmp_path / "csv", 2)
    faites: list[str] = []
    lignes = BlocNeuf.lignes

    def espion(bloc: BlocNeuf) -> list[validation.LigneImportee]:
        faites.append(bloc.table)
        return lignes(bloc)

    monkeypatch.setattr(BlocNeuf, "lignes", espion)
    par_blocs, par_lignes = _bases_ecrites(modele_base_vide, fichiers, tmp_path)
    assert par_blocs == par_lignes
    assert len(par_blocs["projets"]) == 2 * len(bench.lire_demo()["projets"][1])
    assert "projets" not in faites
    assert "sites" in faites  # a table with a JSON column is written from its rows


# ---------------------------------------------------------------------------------------------------
# The column helpers


def _colonne(cellules: list[Any], valeurs: list[Any], codes: list[int]) -> ColonneLue:
    codees = ValeursCodees(valeurs, np.array(codes, dtype=np.intp))
    return ColonneLue("x", ColonneBrute(cellules, np.array(codes, dtype=np.intp)), codees.par_ligne(), {}, codees)


def test_centimes_exacts_ou_rien():
    colonne = _colonne(["1,5", "", "2"], [Decimal("1.50"), None, Decimal("2.00")], [0, 1, 2, 0])
    assert masques.centimes(colonne).tolist() == [150, 0, 200, 150]
    tiers = _colonne(["x"], [Decimal("0.333")], [0])
    assert masques.centimes(tiers) is None  # not a whole number of cents
    enorme = _colonne(["x"], [Decimal("999999999999.99")], [0] * 50_000)
    assert masques.centimes(enorme) is None  # 50 000 × 10^14 cents would not sum exactly in int64


def test_groupes_dans_l_ordre_des_lignes():
    """Cells ` a` and `a` read as one value are one group; a distinct cell without row left (a duplicate
    set aside) has no group; groups come in order of first row."""
    colonne = _colonne([" a", "b", "a", "c"], ["a", "b", "a", "c"], [1, 0, 2, 1, 0])
    valeurs, par_ligne = masques.groupes(colonne)
    assert valeurs == ["b", "a"]
    assert par_ligne.tolist() == [0, 1, 1, 0, 1]
    sommes = masques.sommes_par_groupe(par_ligne, 2, np.array([1, 2, 3, 4, 5]), np.array([1, 1, 0, 1, 1], dtype=bool))
    assert sommes.tolist() == [5, 7]
