"""A read-only deployment serves every page: REBOND_IMPORT=desactive on a base file the server may not write
(AppTest). The dashboard then opens the base read-only; the import and restore pages say why they cannot
write; the file is left byte for byte as it was. And each unusable base (missing, empty, damaged, not
Rebond's, locked, too old for a read-only file) shows its own French message on the pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import streamlit

from rebond_ui import donnees
from tests.outils.appli import lancer, session
from tests.outils.bases import base_schema_1 as _base_schema_1
from tests.outils.bases import copie_de
from tests.outils.lecture_seule import en_lecture_seule, verrouillee
from tests.outils.texte import lu

PAGES = (
    None,
    "pages/territoire.py",
    "pages/a_suivre.py",
    "pages/arbitrage.py",
    "pages/sites.py",
    "pages/importer.py",
    "pages/historique.py",
)


@pytest.fixture
def base_du_serveur(modele_base_demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the demonstration base alone in its folder, as REBOND_DB; caches emptied around."""
    dossier = tmp_path / "deploiement"
    dossier.mkdir()
    chemin = copie_de(modele_base_demo, dossier)
    monkeypatch.setenv("REBOND_DB", str(chemin))
    monkeypatch.delenv("REBOND_GEO_DIR", raising=False)
    monkeypatch.delenv("REBOND_IMPORT", raising=False)
    streamlit.cache_resource.clear()
    streamlit.cache_data.clear()
    yield chemin
    streamlit.cache_resource.clear()  # closes the base before the folder is given back
    streamlit.cache_data.clear()


def _infos(at: object) -> str:
    return " ".join(lu(i.value) for i in at.info)  # type: ignore[attr-defined]


def test_deploiement_en_lecture_seule_sert_chaque_page(base_du_serveur: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REBOND_IMPORT", "desactive")
    octets = base_du_serveur.read_bytes()
    with en_lecture_seule(base_du_serveur):
        for page in PAGES:
            at = lancer({"territoire": "douaisis"} if page == "pages/territoire.py" else None, page)
            assert not at.error, (page, [e.value for e in at.error])
            if page is None:
                assert {m.label: m.value for m in at.metric}["Territoires lauréats"] == "13"
            if page == "pages/territoire.py":
                assert [h.value for h in at.header] == ["Douaisis Agglo"]
            if page == "pages/importer.py":
                assert "L'import est désactivé sur ce serveur" in _infos(at) and not at.file_uploader
            if page == "pages/historique.py":
                assert "La restauration est désactivée sur ce serveur." in _infos(at)
        assert donnees.base().lecture_seule
        streamlit.cache_resource.clear()
    assert base_du_serveur.read_bytes() == octets
    assert not Path(f"{base_du_serveur}.wal").exists()


def test_import_ouvert_mais_fichier_en_lecture_seule(base_du_serveur: Path) -> None:
    """Import not disabled, but the file cannot be written: the pages are served from a read-only opening and
    the write pages say the base is read-only (not that it is used by another process)."""
    with en_lecture_seule(base_du_serveur):
        at = lancer()
        assert {m.label: m.value for m in at.metric}["Projets détectés"] == "1\u202f249"
        at = lancer(page="pages/importer.py")
        assert "La base est en lecture seule pour ce serveur" in _infos(at) and "import impossible" in _infos(at)
        assert not at.file_uploader
        at = lancer(page="pages/historique.py")
        assert "restauration impossible" in _infos(at)
        assert [b.key for b in at.button] == ["filtres_reinitialiser"]  # no restore button
        streamlit.cache_resource.clear()


def test_deploiement_en_lecture_seule_sur_un_fichier_modifiable(
    base_du_serveur: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With import disabled the base is opened read-only even when the file could be written."""
    monkeypatch.setenv("REBOND_IMPORT", "desactive")
    lancer()
    assert donnees.base().lecture_seule


def _base_ancienne(chemin: Path, modele: Path) -> None:
    chemin.unlink()
    _base_schema_1(modele, chemin)


@pytest.mark.parametrize(
    ("etat", "debut_du_message"),
    [
        ("absente", "Base introuvable : "),
        ("vide", "La base {chemin} est un fichier vide"),
        ("texte", "Impossible d'ouvrir la base {chemin} : le fichier est endommagé ou n'est pas une base DuckDB."),
        ("tronquee", "Impossible d'ouvrir la base {chemin} : le fichier est endommagé ou n'est pas une base DuckDB."),
        ("autre", "Le fichier {chemin} est une base DuckDB, mais pas une base Rebond"),
        ("verrouillee", "Impossible d'ouvrir la base {chemin} : elle est utilisée par un autre processus"),
        ("ancienne_en_lecture_seule", "La base {chemin} a été créée avant le contrat 2"),
    ],
)
def test_chaque_base_inutilisable_a_son_message_sur_les_pages(
    etat: str, debut_du_message: str, base_du_serveur: Path, modele_base_minimale: Path
) -> None:
    chemin = base_du_serveur
    if etat == "absente":
        chemin.unlink()
    elif etat == "vide":
        chemin.write_bytes(b"")
    elif etat == "texte":
        chemin.write_text("pas une base")
    elif etat == "tronquee":
        chemin.write_bytes(chemin.read_bytes()[:100_000])
    elif etat == "autre":
        chemin.unlink()
        connexion = duckdb.connect(str(chemin))
        connexion.execute("create table autre (x integer)")
        connexion.close()
    elif etat == "ancienne_en_lecture_seule":
        _base_ancienne(chemin, modele_base_minimale)
    if etat == "verrouillee":
        with verrouillee(chemin):
            at = session().run()
    elif etat == "ancienne_en_lecture_seule":
        with en_lecture_seule(chemin):
            at = session().run()
    else:
        at = session().run()
    assert not at.exception
    erreurs = [lu(e.value) for e in at.error]
    assert len(erreurs) == 1 and erreurs[0].startswith(debut_du_message.format(chemin=chemin)), erreurs
    assert any("Sources : AMI" in c.value for c in at.caption)  # the frame still draws the footer
