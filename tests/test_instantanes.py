"""Snapshots of the published state (issue 13, rebond_core/instantanes.py): each publish writes a new
immutable file and switches CURRENT to it; readers open it read-only and never hold the working base, so
the command line imports while they read; old snapshots are pruned without pulling one from under a reader;
a reader never sees a half publish."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from rebond_core import db, instantanes
from rebond_core.db import Base
from rebond_core.importation.pipeline import importer
from tests.outils.bases import contenu
from tests.outils.contrat import commande

ENTETE = "id_projet;code_territoire;intitule;entreprise;filiere;origine;statut;investissement_eur;emplois_prevus\r\n"


def _projet(rang: int) -> tuple[str, bytes]:
    """A CSV adding one new project to a territory of the demonstration data."""
    ligne = f"PRJ-instantane-{rang:03d};douaisis;Projet {rang};Firme;automobile;endogene;identifie;1 000;1\r\n"
    return (f"projets-{rang}.csv", (ENTETE + ligne).encode())


def _ajouter_un_projet(base: Base, rang: int) -> int:
    resultat = importer(base, [_projet(rang)], "test")
    assert resultat.version is not None, [p.en_ligne() for p in resultat.rapport.problemes]
    return resultat.version


def _projets(base: Base, version: int) -> int:
    return int(base.scalaire("select count(*) from projets_a($v)", {"v": version}))


def test_publier_copie_la_base_et_fait_pointer_courant(base_demo: Base, chemin_base_demo: Path) -> None:
    dossier = instantanes.dossier(chemin_base_demo)
    assert dossier == chemin_base_demo.parent / f"{chemin_base_demo.stem}.instantanes"
    assert instantanes.courant(dossier) is None  # nothing published yet

    publie = instantanes.publier(base_demo, chemin_base_demo)

    assert publie == dossier / "rebond-000001.duckdb"
    assert (dossier / "CURRENT").read_text(encoding="utf-8") == "rebond-000001.duckdb\n"
    assert instantanes.courant(dossier) == publie
    assert publie.stat().st_mode & 0o777 == 0o444  # never written again
    restes = sorted(p.name for p in dossier.iterdir())
    assert restes == [".verrou", "CURRENT", "rebond-000001.duckdb"]  # no .building, .wal or .tmp left
    lu = instantanes.ouvrir(publie)
    assert lu is not None
    try:
        assert lu.lecture_seule
        assert contenu(lu) == contenu(base_demo)  # every row of every versioned table, history included
        version = base_demo.version_courante()
        assert lu.version_courante() == version
        # the table macros came along (COPY FROM DATABASE): projets_a(v) reads the snapshot's own tables
        assert _projets(lu, version) == _projets(base_demo, version) > 0
        assert db.version_schema(lu.connexion) == db.VERSION_SCHEMA
        assert lu.scalaire("select current_setting('threads')") == 1  # a reader's settings, not DuckDB's
        with pytest.raises(duckdb.Error):
            lu.lignes("delete from projets")
    finally:
        lu.fermer()


def test_chaque_publication_a_son_fichier_et_les_anciens_ne_changent_pas(
    base_demo: Base, chemin_base_demo: Path
) -> None:
    dossier = instantanes.dossier(chemin_base_demo)
    premier = instantanes.publier(base_demo, chemin_base_demo)
    version_1 = base_demo.version_courante()
    avant = _projets(base_demo, version_1)
    version_2 = _ajouter_un_projet(base_demo, 1)
    second = instantanes.publier(base_demo)  # the folder found from the connection's file

    assert second == dossier / "rebond-000002.duckdb"
    assert instantanes.courant(dossier) == second
    ancien, nouveau = instantanes.ouvrir(premier), instantanes.ouvrir(second)
    assert ancien is not None and nouveau is not None
    try:
        assert (ancien.version_courante(), _projets(ancien, version_1)) == (version_1, avant)
        assert (nouveau.version_courante(), _projets(nouveau, version_2)) == (version_1 + 1, avant + 1)
    finally:
        ancien.fermer()
        nouveau.fermer()


def test_restaurer_et_importer_depuis_les_pages_publient(base_demo: Base, chemin_base_demo: Path) -> None:
    from rebond_core.restauration import restaurer
    from rebond_ui.televersement import Televerse, executer

    dossier = instantanes.dossier(chemin_base_demo)
    version_1 = base_demo.version_courante()
    projets_1 = _projets(base_demo, version_1)
    nom, contenu_csv = _projet(1)
    simule = executer(base_demo, [Televerse(nom, contenu_csv)], "t", simulation=True)
    assert simule.version is None and instantanes.courant(dossier) is None  # a preview publishes nothing
    publie = executer(base_demo, [Televerse(nom, contenu_csv)], "t", simulation=False)
    assert publie.version == version_1 + 1
    apres_import = instantanes.courant(dossier)
    assert apres_import is not None

    assert restaurer(base_demo, version_1, "t") == version_1 + 2
    apres_restauration = instantanes.courant(dossier)
    assert apres_restauration is not None and apres_restauration != apres_import
    lu = instantanes.ouvrir(apres_restauration)
    assert lu is not None
    try:  # the restored state: the project added by the import is gone again
        assert (lu.version_courante(), _projets(lu, version_1 + 2)) == (version_1 + 2, projets_1)
    finally:
        lu.fermer()


def test_la_numerotation_passe_les_copies_interrompues(base_demo: Base, chemin_base_demo: Path) -> None:
    dossier = instantanes.dossier(chemin_base_demo)
    instantanes.publier(base_demo, chemin_base_demo)
    reste = dossier / "rebond-000007.duckdb.building"  # a publish killed while copying
    reste.write_bytes(b"moitie")
    vieux = time.time() - 2 * instantanes.DELAI_S
    os.utime(reste, (vieux, vieux))

    assert instantanes.publier(base_demo, chemin_base_demo).name == "rebond-000008.duckdb"
    assert not reste.exists()  # older than the grace period: pruned by that publish


def _fichiers(dossier: Path, mtimes: dict[int, float], courant: int) -> None:
    dossier.mkdir()
    for numero, mtime in mtimes.items():
        fichier = dossier / f"rebond-{numero:06d}.duckdb"
        fichier.write_bytes(b"x")
        os.utime(fichier, (mtime, mtime))
    (dossier / "CURRENT").write_text(f"rebond-{courant:06d}.duckdb\n", encoding="utf-8")


def test_elaguer_garde_le_courant_les_derniers_et_ceux_qu_un_lecteur_peut_encore_ouvrir(tmp_path: Path) -> None:
    maintenant = 1_000_000.0
    # 3 was replaced by 4 only 100 s ago: a reader that read CURRENT just before may still be opening 3.
    ages = {1: 5000, 2: 4000, 3: 3000, 4: 100, 5: 50, 6: 10}
    _fichiers(tmp_path / "a", {n: maintenant - age for n, age in ages.items()}, courant=6)
    supprimes = instantanes.elaguer(tmp_path / "a", garder=3, delai_s=600, maintenant=maintenant)
    assert sorted(p.name for p in supprimes) == ["rebond-000001.duckdb", "rebond-000002.duckdb"]
    assert [p.name[7:13] for p in instantanes.instantanes(tmp_path / "a")] == ["000003", "000004", "000005", "000006"]

    # CURRENT back on an old snapshot (set by hand): that one stays, whatever its age.
    _fichiers(tmp_path / "b", {n: maintenant - age for n, age in ages.items()}, courant=2)
    supprimes = instantanes.elaguer(tmp_path / "b", garder=3, delai_s=600, maintenant=maintenant)
    assert [p.name for p in supprimes] == ["rebond-000001.duckdb"]

    # A copy being written (young .building) is left alone; so is everything with garder above the count.
    _fichiers(tmp_path / "c", {1: maintenant - 5000, 2: maintenant - 4000}, courant=2)
    (tmp_path / "c" / "rebond-000003.duckdb.building").write_bytes(b"x")
    assert instantanes.elaguer(tmp_path / "c", garder=3, delai_s=600, maintenant=time.time()) == []


def test_courant_ne_suit_qu_un_nom_d_instantane_existant(tmp_path: Path) -> None:
    assert instantanes.courant(tmp_path / "absent") is None
    (tmp_path / "CURRENT").write_text("rebond-000004.duckdb\n", encoding="utf-8")
    assert instantanes.courant(tmp_path) is None  # named but missing (pruned by hand)
    (tmp_path / "rebond-000004.duckdb").write_bytes(b"x")
    assert instantanes.courant(tmp_path) == tmp_path / "rebond-000004.duckdb"
    (tmp_path / "CURRENT.tmp").write_text("../../etc/passwd\n", encoding="utf-8")
    os.replace(tmp_path / "CURRENT.tmp", tmp_path / "CURRENT")
    assert instantanes.courant(tmp_path) is None  # not a snapshot's name: never followed


def test_publication_impossible_dit_pourquoi_en_francais(
    base_demo: Base, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "fichier").write_text("pas un dossier", encoding="utf-8")
    monkeypatch.setenv("REBOND_INSTANTANES", str(tmp_path / "fichier" / "instantanes"))
    avant = contenu(base_demo)
    with pytest.raises(instantanes.ErreurPublication) as erreur:
        instantanes.publier(base_demo)
    assert "publication pour les serveurs de consultation a échoué" in erreur.value.message_fr
    assert "python -m rebond_core publier" in erreur.value.message_fr
    assert contenu(base_demo) == avant


def test_un_instantane_d_un_schema_plus_ancien_n_est_pas_lu(tmp_path: Path) -> None:
    chemin = tmp_path / "rebond-000001.duckdb"
    with duckdb.connect(str(chemin)) as connexion:
        connexion.execute("create table meta (cle varchar primary key, valeur varchar)")
        connexion.execute("insert into meta values ('version_schema', $v)", {"v": str(db.VERSION_SCHEMA - 1)})
    assert instantanes.ouvrir(chemin) is None  # the reader reads the working base instead


# --- readers in other processes -------------------------------------------------------------------

TENIR = """
import sys, time, duckdb
connexion = duckdb.connect(sys.argv[1], read_only=True)
connexion.execute("select count(*) from versions").fetchall()
print("ouverte", flush=True)
sys.stdin.read()
"""


@contextmanager
def tenue_en_lecture(chemin: Path) -> Iterator[None]:
    """Another process holds `chemin` open read-only (as a dashboard would) for the block."""
    processus = subprocess.Popen(
        [sys.executable, "-c", TENIR, str(chemin)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert processus.stdout is not None
        assert processus.stdout.readline().strip() == "ouverte"
        yield
    finally:
        assert processus.stdin is not None
        processus.stdin.close()
        processus.wait(timeout=30)


def test_import_en_ligne_de_commande_pendant_que_les_lecteurs_lisent(
    chemin_base_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, sortie, _ = commande(capsys, "publier", "--db", chemin_base_demo)
    assert code == 0 and "publiée pour les serveurs de consultation" in sortie
    dossier = instantanes.dossier(chemin_base_demo)
    publie = instantanes.courant(dossier)
    assert publie is not None
    fichier = tmp_path / "projets.csv"
    fichier.write_bytes(_projet(1)[1])

    # A reader of the working base itself (the dashboard before snapshots) blocks the command line…
    with tenue_en_lecture(chemin_base_demo):
        code, _, erreur = commande(capsys, "importer", fichier, "--db", chemin_base_demo, "--auteur", "t")
    assert code == 2 and "utilisée par un autre processus" in erreur

    # …a reader of the snapshot does not: the import publishes a new snapshot meanwhile.
    with tenue_en_lecture(publie):
        code, sortie, _ = commande(capsys, "importer", fichier, "--db", chemin_base_demo, "--auteur", "t")
    assert code == 0, sortie
    nouveau = instantanes.courant(dossier)
    assert nouveau is not None and nouveau != publie
    lu = instantanes.ouvrir(nouveau)
    assert lu is not None
    try:
        assert f"version {lu.version_courante()} créée" in sortie
        assert lu.scalaire("select count(*) from projets where id_projet = 'PRJ-instantane-001'") == 1
    finally:
        lu.fermer()


LECTEUR = """
import json, sys, time
from pathlib import Path
from rebond_core import instantanes
dossier, fin = Path(sys.argv[1]), time.monotonic() + float(sys.argv[2])
ouvertes, vus, erreurs = {}, [], []
while time.monotonic() < fin:
    try:
        courant = instantanes.courant(dossier)
        if courant is None:
            erreurs.append("aucun instantané courant")
            continue
        if courant not in ouvertes:
            ouvertes = {courant: instantanes.ouvrir(courant)}  # the previous one closes when dropped
        base = ouvertes[courant]
        version = base.version_courante()
        projets = base.scalaire("select count(*) from projets_a($v)", {"v": version})
        versions = base.scalaire("select count(*) from versions")
        vus.append([courant.name, version, projets, versions])
    except Exception as erreur:
        erreurs.append(repr(erreur))
    time.sleep(0.005)
print(json.dumps({"vus": vus, "erreurs": erreurs[:10]}))
"""


def test_un_lecteur_ne_voit_jamais_une_demi_publication(base_demo: Base, chemin_base_demo: Path) -> None:
    """A reader process reads CURRENT and queries in a loop while this process imports and publishes one
    project at a time: every state it reads is a whole publish (projects and versions moved together)."""
    instantanes.publier(base_demo, chemin_base_demo)
    version_0 = base_demo.version_courante()
    projets_0 = _projets(base_demo, version_0)
    versions_0 = int(base_demo.scalaire("select count(*) from versions"))
    dossier = instantanes.dossier(chemin_base_demo)
    lecteur = subprocess.Popen(
        [sys.executable, "-c", LECTEUR, str(dossier), "6"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    publies = 0
    debut = time.monotonic()
    while time.monotonic() - debut < 4.5:
        publies += 1
        _ajouter_un_projet(base_demo, publies)
        instantanes.publier(base_demo, chemin_base_demo)
    sortie, _ = lecteur.communicate(timeout=60)
    lu = json.loads(sortie)

    assert lu["erreurs"] == []
    for nom, version, projets, versions in lu["vus"]:
        ajoutes = version - version_0  # one project and one version per publish
        assert (projets, versions) == (projets_0 + ajoutes, versions_0 + ajoutes), nom
    versions_vues = [v[1] for v in lu["vus"]]
    assert versions_vues == sorted(versions_vues)  # never back
    assert len(set(versions_vues)) >= 3, f"{publies} publications, versions lues : {sorted(set(versions_vues))}"
    assert len(instantanes.instantanes(dossier)) == publies + 1  # all younger than the grace period: kept


# --- the dashboard as a reader (AppTest) ----------------------------------------------------------


@pytest.mark.pages
def test_le_tableau_de_bord_lecteur_montre_chaque_publication(
    chemin_base_demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dashboard with REBOND_IMPORT=desactive reads the current snapshot, never the working base: an
    import from the command line (another process) runs while it is open, and its next rerun shows it."""
    import streamlit as st

    from tests.outils.appli import lancer, sans_erreur_inattendue

    monkeypatch.setenv("REBOND_DB", str(chemin_base_demo))
    monkeypatch.setenv("REBOND_IMPORT", "desactive")
    monkeypatch.delenv("REBOND_GEO_DIR", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        base = Base.ouvrir(chemin_base_demo)
        try:
            instantanes.publier(base)
            version = base.version_courante()
        finally:
            base.fermer()
        at = lancer()

        def vus() -> tuple[str, str]:
            entete = next(c.value for c in at.caption if c.value.startswith("Données : version"))
            return entete, next(m.value for m in at.metric if m.label == "Projets détectés")

        entete, projets = vus()
        assert entete.startswith(f"Données : version {version} du ")
        fichier = tmp_path / "projets.csv"
        fichier.write_bytes(_projet(1)[1])
        fait = subprocess.run(
            [sys.executable, "-m", "rebond_core", "importer", str(fichier), "--db", str(chemin_base_demo)],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        assert fait.returncode == 0, fait.stdout + fait.stderr
        at.run()
        sans_erreur_inattendue(at)
        entete_apres, projets_apres = vus()
        assert entete_apres.startswith(f"Données : version {version + 1} du ")
        assert (
            int("".join(c for c in projets_apres if c.isdigit())) == int("".join(c for c in projets if c.isdigit())) + 1
        )
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
