"""Reliability of a publish: readers never see a mix of two versions; a process killed while
publishing leaves the previous version intact and nothing behind."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import pytest

from rebond_core import perimetre
from rebond_core.db import Base
from rebond_core.importation.pipeline import importer
from rebond_core.indicateurs import Filtres, calculer
from tests.outils.bases import contenu
from tests.outils.interruption import tuer_pendant_l_ecriture


def _mise_a_jour_massive(base: Base, chemin: Path, nouveaux: int) -> Path:
    """Every demo project gets one more planned job, and `nouveaux` projects are added."""
    entete = "id_projet;code_territoire;intitule;entreprise;filiere;origine;statut;investissement_eur;emplois_prevus\n"
    lignes = [
        f"{i};{t};{intitule};{e};{f};{o};{s};{str(inv).replace('.', ',')};{emp + 1}\n"
        for i, t, intitule, e, f, o, s, inv, emp in base.lignes(
            "select id_projet, code_territoire, intitule, entreprise, filiere, origine, statut, investissement_eur, "
            "emplois_prevus from projets where v_to is null"
        )
        if ";" not in intitule + e
    ]
    lignes += [f"N{n};douaisis;Nouveau {n};Firme {n};automobile;exogene;identifie;1000;1\n" for n in range(nouveaux)]
    chemin.write_text(entete + "".join(lignes), encoding="utf-8")
    return chemin


def _photo(base: Base, version: int) -> tuple[object, ...]:
    """What one page run reads: its version pinned, then the tiles and the territories table."""
    filtres = Filtres(version=version)
    valeurs = calculer(base, filtres).valeurs
    table = perimetre.territoires(base, filtres)
    return (
        valeurs["projets.total"],
        valeurs["emplois.potentiels"],
        int(table["projets"].sum()),
        int(table["emplois_potentiels"].sum()),
    )


@pytest.mark.lent
def test_les_lecteurs_voient_l_ancien_ou_le_nouvel_etat_jamais_un_melange(base_demo: Base, tmp_path: Path) -> None:
    fichier = _mise_a_jour_massive(base_demo, tmp_path / "projets_copil.csv", 20_000)
    attendu_v1 = _photo(base_demo, 1)
    observations: list[tuple[int, tuple[object, ...]]] = []
    fini = threading.Event()
    erreurs: list[BaseException] = []

    def lecteur() -> None:
        try:
            while not fini.is_set():
                version = base_demo.version_courante()  # as a page run does, once
                observations.append((version, _photo(base_demo, version)))
        except BaseException as erreur:  # noqa: BLE001 — reported by the main thread
            erreurs.append(erreur)

    lecteurs = [threading.Thread(target=lecteur) for _ in range(3)]
    for fil in lecteurs:
        fil.start()
    resultat = importer(base_demo, [fichier], "copil")
    fini.set()
    for fil in lecteurs:
        fil.join(timeout=60)
    assert not erreurs, erreurs
    assert resultat.version == 2
    attendu_v2 = _photo(base_demo, 2)
    assert attendu_v2 != attendu_v1
    assert attendu_v2[0] == attendu_v1[0] + 20_000
    assert observations, "no read happened during the publish"
    assert {version for version, _ in observations} <= {1, 2}
    for version, photo in observations:
        assert photo == (attendu_v1 if version == 1 else attendu_v2)
    # The current state, read without pinning, is also one or the other, never in between.
    assert _photo(base_demo, base_demo.version_courante()) == attendu_v2


# The publish run by the child process that dies inside the write, as the import page runs it
# (`base` and `fichier` are given).
PUBLIER = """
from rebond_ui.televersement import Televerse, executer
executer(base, [Televerse(fichier.name, fichier.read_bytes())], "copil", simulation=False, version_attendue=1)
"""


@pytest.mark.lent
def test_serveur_tue_pendant_une_publication(chemin_base_demo: Path, tmp_path: Path) -> None:
    base = Base.ouvrir(chemin_base_demo)
    try:
        fichier = _mise_a_jour_massive(base, tmp_path / "projets_copil.csv", 5_000)
        avant = contenu(base)
    finally:
        base.fermer()
    fichiers_avant = sorted(p.name for p in chemin_base_demo.parent.iterdir())
    temporaires_avant = set(os.listdir(tempfile.gettempdir()))
    tuer_pendant_l_ecriture(chemin_base_demo, fichier, PUBLIER)
    base = Base.ouvrir(chemin_base_demo)  # the restart
    try:
        assert base.version_courante() == 1
        assert contenu(base) == avant
    finally:
        base.fermer()
    restes = set(os.listdir(tempfile.gettempdir())) - temporaires_avant
    assert not [r for r in restes if "rebond" in r]
    assert sorted(p.name for p in chemin_base_demo.parent.iterdir() if not p.name.endswith(".wal")) == [
        n for n in fichiers_avant if not n.endswith(".wal")
    ]
