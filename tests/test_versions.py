"""Versions: one per committed import, none for an identical re-import, restore as a new version,
indicators as of any version, and a killed import that leaves the previous version intact."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from rebond_core.cli import main
from rebond_core.comparaison import versements_changes
from rebond_core.db import Base
from rebond_core.importation.pipeline import importer
from rebond_core.indicateurs import Filtres, calculer
from rebond_core.restauration import restaurer
from rebond_core.versions import liste_versions
from tests.outils.bases import contenu
from tests.outils.classeurs import ecrire_classeur
from tests.outils.interruption import tuer_pendant_l_ecriture
from tests.outils.petite_base import PROJETS, TERRITOIRES

RACINE = Path(__file__).resolve().parent.parent


@pytest.fixture
def base_v1(base_vide: Base, tmp_path: Path) -> Base:
    importer(
        base_vide, [ecrire_classeur(tmp_path / "v1.xlsx", {"territoires": TERRITOIRES, "projets": PROJETS})], "alice"
    )
    return base_vide


def _mise_a_jour(tmp_path: Path) -> Path:
    """P2 granted (columns absent from the sheet keep their values), P8 added."""
    return ecrire_classeur(
        tmp_path / "copil.xlsx",
        {
            "projets": [
                {
                    "id_projet": "P2",
                    "code_territoire": "ta",
                    "intitule": "Projet P2",
                    "entreprise": "Entreprise P2",
                    "filiere": "automobile",
                    "origine": "endogene",
                    "statut": "Accordé",
                    "investissement_eur": 500000,
                    "emplois_prevus": 5,
                    "subvention_eur": 60000,
                    "date_decision": date(2024, 3, 1),
                },
                {
                    "id_projet": "P8",
                    "code_territoire": "tc",
                    "intitule": "Projet P8",
                    "entreprise": "Entreprise P8",
                    "filiere": "naval",
                    "origine": "exogene",
                    "statut": "identifie",
                    "investissement_eur": 10000,
                    "emplois_prevus": 1,
                },
            ]
        },
    )


def test_mise_a_jour_garde_les_colonnes_absentes_et_cree_une_version(base_v1: Base, tmp_path: Path) -> None:
    resultat = importer(base_v1, [_mise_a_jour(tmp_path)], "bob")
    assert resultat.version == 2
    assert resultat.comptes() == {"projets": {"ajoutees": 1, "modifiees": 1}}
    modification = resultat.plan["projets"].modifiees[0]
    assert modification.cle == "P2" and modification.ligne == 2
    assert {c for c, _, _ in modification.cellules} == {"statut", "subvention_eur", "date_decision"}
    # aide_demandee_eur was not in the sheet: the stored 100 000 stays.
    assert base_v1.lignes("select aide_demandee_eur, statut from projets where id_projet = 'P2' and v_to is null") == [
        (100000, "accorde")
    ]


def test_reimport_identique_ne_cree_pas_de_version(base_v1: Base, tmp_path: Path) -> None:
    avant = contenu(base_v1)
    resultat = importer(
        base_v1, [ecrire_classeur(tmp_path / "v1.xlsx", {"territoires": TERRITOIRES, "projets": PROJETS})], "alice"
    )
    assert resultat.rapport.valide and resultat.version is None and not resultat.a_des_changements
    assert resultat.plan["projets"].inchangees == 7
    assert contenu(base_v1) == avant


def test_indicateurs_a_une_version_et_restauration(base_v1: Base, tmp_path: Path) -> None:
    v1 = calculer(base_v1).valeurs
    importer(base_v1, [_mise_a_jour(tmp_path)], "bob")
    courant = calculer(base_v1).valeurs
    assert courant["enveloppe_aides.engage_eur"] == 650_000 + 60_000
    assert courant["projets.total"] == 8
    assert calculer(base_v1, Filtres(version=1)).valeurs == v1
    assert restaurer(base_v1, 1, "carole") == 3
    assert calculer(base_v1).valeurs == v1
    versions = liste_versions(base_v1)
    assert [v["numero"] for v in versions] == [1, 2, 3]
    assert versions[2]["restaure"] == 1 and versions[2]["fichiers"] == [] and versions[2]["auteur"] == "carole"
    assert versions[2]["comptes"] == {"projets": {"ajoutees": 0, "modifiees": 1, "retirees": 1}}
    # Version 2 is still readable after the restore: history is never lost.
    assert calculer(base_v1, Filtres(version=2)).valeurs == courant
    assert restaurer(base_v1, 3, "carole") is None  # already that state: no empty version


def _versements(tmp_path: Path, nom: str, lignes: list[dict[str, object]]) -> Path:
    return ecrire_classeur(tmp_path / nom, {"versements": lignes})


def _versement(cle: str, projet: str, jour: date, nature: str, montant: int) -> dict[str, object]:
    return {"id_versement": cle, "id_projet": projet, "date": jour, "nature": nature, "montant_eur": montant}


def _versements_courants(base: Base, version: int | None = None) -> list[tuple[object, ...]]:
    if version is None:
        return base.lignes("select * exclude (v_from, v_to) from versements where v_to is null order by all")
    return base.lignes("select * from versements_a($v) order by all", {"v": version})


def test_versements_versionnes_compares_et_restaures(base_v1: Base, tmp_path: Path) -> None:
    """Contract 2: payments are versioned like every table (P1: 200 000 € grant, 50 000 € advance; P5:
    400 000 € grant), compared between versions, and restored."""
    v2 = importer(
        base_v1,
        [
            _versements(
                tmp_path,
                "v2.xlsx",
                [
                    _versement("VA", "P1", date(2024, 1, 15), "subvention", 100000),
                    _versement("VB", "p1", date(2024, 1, 15), "Versement d'avance remboursable", 50000),
                    _versement("VC", "P5", date(2024, 3, 1), "subvention", 400000),
                ],
            )
        ],
        "alice",
    )
    assert v2.rapport.problemes == [] and v2.version == 2
    assert v2.comptes() == {"versements": {"ajoutees": 3, "modifiees": 0}}
    v3 = importer(
        base_v1,
        [
            _versements(
                tmp_path,
                "v3.xlsx",
                [
                    _versement("va", "P1", date(2024, 1, 15), "subvention", 150000),  # key in another case: VA
                    _versement("VD", "P1", date(2025, 2, 1), "remboursement", 10000),
                ],
            )
        ],
        "bob",
    )
    assert v3.rapport.problemes == [] and v3.version == 3
    assert v3.comptes() == {"versements": {"ajoutees": 1, "modifiees": 1}}
    assert [(m.cle, m.cellules) for m in v3.plan["versements"].modifiees] == [
        ("VA", [("montant_eur", Decimal("100000.00"), Decimal("150000.00"))])
    ]
    etat_3 = [
        ("VA", "P1", date(2024, 1, 15), "subvention", Decimal("150000.00")),
        ("VB", "P1", date(2024, 1, 15), "avance", Decimal("50000.00")),
        ("VC", "P5", date(2024, 3, 1), "subvention", Decimal("400000.00")),
        ("VD", "P1", date(2025, 2, 1), "remboursement", Decimal("10000.00")),
    ]
    assert _versements_courants(base_v1) == etat_3

    changes = versements_changes(base_v1, 2, 3)
    assert changes[["id_versement", "id_projet", "changement"]].values.tolist() == [
        ["VA", "P1", "Modifié"],
        ["VD", "P1", "Ajouté"],
    ]
    assert changes["montant_avant"].tolist()[0] == Decimal("100000.00")
    assert changes["montant_apres"].tolist() == [Decimal("150000.00"), Decimal("10000.00")]
    assert changes["nature_apres"].tolist() == ["Versement de subvention", "Remboursement d'avance"]
    assert versements_changes(base_v1, 1, 2)["changement"].tolist() == ["Ajouté"] * 3

    assert restaurer(base_v1, 1, "carole") == 4
    assert _versements_courants(base_v1) == []
    assert liste_versions(base_v1)[3]["comptes"] == {"versements": {"ajoutees": 0, "modifiees": 0, "retirees": 4}}
    retires = versements_changes(base_v1, 3, 4)
    assert retires["changement"].tolist() == ["Retiré"] * 4
    assert retires["nature_avant"].tolist()[0] == "Versement de subvention"
    assert [tuple(v) for v in _versements_courants(base_v1, 3)] == etat_3  # history kept
    assert restaurer(base_v1, 3, "carole") == 5
    assert _versements_courants(base_v1) == etat_3
    assert liste_versions(base_v1)[4]["comptes"] == {"versements": {"ajoutees": 4, "modifiees": 0}}
    assert versements_changes(base_v1, 3, 5).empty


def test_commandes_versions_et_restaurer(
    base_v1: Base, chemin_base_vide: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    importer(base_v1, [_mise_a_jour(tmp_path)], "bob")
    base_v1.fermer()
    db = ["--db", str(chemin_base_vide)]
    assert main(["versions", "--json", *db]) == 0
    versions = json.loads(capsys.readouterr().out)
    assert [set(v) for v in versions] == [{"numero", "date", "auteur", "fichiers", "comptes", "restaure"}] * 2
    assert versions[0]["fichiers"][0]["nom"] == "v1.xlsx" and len(versions[0]["fichiers"][0]["sha256"]) == 64
    assert versions[0]["comptes"] == {
        "territoires": {"ajoutees": 3, "modifiees": 0},
        "projets": {"ajoutees": 7, "modifiees": 0},
    }
    assert date.fromisoformat(versions[1]["date"][:10]) == date.today()
    assert main(["restaurer", "9", *db]) == 2
    assert main(["restaurer", "1", "--auteur", "dora", *db]) == 0
    assert main(["indicateurs", "--json", "--version", "7", *db]) == 2


def test_init_refuse_d_ecraser(chemin_base_vide: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--vide", "--db", str(chemin_base_vide)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["init", "--vide", "--force", "--db", str(chemin_base_vide)]) == 0


def _gros_csv(chemin: Path, lignes: int) -> Path:
    entete = "id_projet;code_territoire;intitule;entreprise;filiere;origine;statut;investissement_eur;emplois_prevus\n"
    corps = "".join(
        f"G{i};ta;Projet {i};Firme {i};automobile;endogene;identifie;{1000 + i},50;{i % 50}\n" for i in range(lignes)
    )
    chemin.write_text(entete + corps, encoding="utf-8")
    return chemin


# The import run by the child process that dies inside the write (`base` and `fichier` are given).
IMPORTER = """
from rebond_core.importation.pipeline import importer
importer(base, [fichier], "tue")
"""


@pytest.mark.lent
def test_import_tue_pendant_l_ecriture_laisse_la_version_precedente(
    base_v1: Base, chemin_base_vide: Path, tmp_path: Path
) -> None:
    avant = contenu(base_v1)
    base_v1.fermer()
    gros = _gros_csv(tmp_path / "projets_gros.csv", 50_000)
    tuer_pendant_l_ecriture(chemin_base_vide, gros, IMPORTER)
    base = Base.ouvrir(chemin_base_vide)
    try:
        assert contenu(base) == avant
        assert base.scalaire("select count(*) from projets where id_projet like 'G%'") == 0
    finally:
        base.fermer()
    # The same import, not killed, does write the rows: the kill above is what kept them out.
    base = Base.ouvrir(chemin_base_vide)
    try:
        assert importer(base, [gros], "pas tue").version == 2
        assert base.scalaire("select count(*) from projets where id_projet like 'G%' and v_to is null") == 50_000
    finally:
        base.fermer()


@pytest.mark.lent
def test_import_tue_a_n_importe_quel_moment_ne_laisse_jamais_un_etat_partiel(
    base_v1: Base, chemin_base_vide: Path, tmp_path: Path
) -> None:
    """Kill -9 from outside as soon as the base file or its WAL starts changing: the base is then
    either exactly the previous version or the whole new one, never a mix."""
    avant = contenu(base_v1)
    base_v1.fermer()
    gros = _gros_csv(tmp_path / "projets_gros.csv", 50_000)
    wal = Path(str(chemin_base_vide) + ".wal")
    taille_initiale = chemin_base_vide.stat().st_size
    processus = subprocess.Popen(
        [sys.executable, "-m", "rebond_core", "importer", str(gros), "--db", str(chemin_base_vide)],
        cwd=RACINE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    echeance = time.monotonic() + 120
    while processus.poll() is None and time.monotonic() < echeance:
        if (wal.exists() and wal.stat().st_size > 0) or chemin_base_vide.stat().st_size != taille_initiale:
            break
        time.sleep(0.002)
    if processus.poll() is None:
        os.kill(processus.pid, signal.SIGKILL)
    processus.wait()
    base = Base.ouvrir(chemin_base_vide)
    try:
        apres = contenu(base)
        nouveaux = base.scalaire("select count(*) from projets where id_projet like 'G%' and v_to is null")
        assert apres == avant or (nouveaux == 50_000 and base.version_courante() == 2)
    finally:
        base.fermer()


def test_base_absente_refusee_sans_creer_de_fichier(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    absente = tmp_path / "absente.duckdb"
    for commande in (
        ["importer", str(RACINE / "data" / "demo" / "releve-demo.xlsx")],
        ["indicateurs", "--json"],
        ["versions"],
        ["restaurer", "1"],
    ):
        assert main([*commande, "--db", str(absente)]) == 2
        assert "Base introuvable" in capsys.readouterr().err
    assert not absente.exists()
