"""Several dashboard processes behind HAProxy (issue 13), small: 2 readers (REBOND_IMPORT=desactive) started
and warmed (deploiement/rechauffer.py) by deploiement/grappe.py, 4 sessions over Streamlit's websocket
protocol (bench/charge.py: the overview, a region filter, back to no filter), and an import from the command
line while they are open. No error, no half-seen publish, both readers serve sessions, and every session's
next rerun shows the new version; static files come gzipped.

HAProxy comes from the Debian package (.ci/run installs it): missing locally, the test is skipped; missing
in CI (CI=true), it fails."""

from __future__ import annotations

import gzip
import os
import re
import sys
import urllib.request
from pathlib import Path

import pytest

from rebond_core.db import Base
from tests.outils.bases import copie_de
from tests.outils.serveur import assert_sans_attente_de_nagle, fichier_js, port_libre

RACINE = Path(__file__).resolve().parent.parent
if str(RACINE / "bench") not in sys.path:
    sys.path.insert(0, str(RACINE / "bench"))

import charge  # noqa: E402  (bench/charge.py, which imports deploiement/grappe.py)
import grappe  # noqa: E402

pytestmark = pytest.mark.lent


def _exiger_haproxy() -> None:
    if grappe.haproxy() is not None:
        return
    if os.environ.get("CI", "").strip().lower() in ("true", "1"):
        pytest.fail("HAProxy est introuvable en CI : .ci/run doit installer le paquet Debian haproxy.")
    pytest.skip("HAProxy absent de cette machine (apt-get install haproxy) ; en CI, .ci/run l'installe.")


def _en_cache(url: str, fonction: str) -> int:
    """Bytes the server at `url` holds in the st.cache_data of `fonction` (Streamlit's /_stcore/metrics)."""
    with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=30) as r:
        texte = r.read().decode()
    ligne = f'cache_memory_bytes{{cache_type="st_cache_data",cache="{fonction}"}} '
    return sum(int(x.removeprefix(ligne)) for x in texte.splitlines() if x.startswith(ligne))


def _telecharger(url: str) -> tuple[str | None, bytes]:
    """The Content-Encoding and the (decompressed) body at `url`, asked for gzipped."""
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept-Encoding": "gzip"}), timeout=30) as r:
        codage, corps = r.headers.get("Content-Encoding"), r.read()
    return codage, gzip.decompress(corps) if codage == "gzip" else corps


def _compresse_par_haproxy(g: grappe.Grappe) -> None:
    """Streamlit sends its page and its own JavaScript (/static/) uncompressed; through HAProxy they come
    gzipped, the same bytes."""
    _, page = _telecharger(g.repliques["s1"] + "/")
    (script,) = re.findall(r'src="\./(static/js/index\.[^"]+\.js)"', page.decode())
    for chemin in ("/", f"/{script}"):
        direct = _telecharger(g.repliques["s1"] + chemin)
        par_haproxy = _telecharger(g.url + chemin)
        assert direct[0] is None and par_haproxy[0] == "gzip", (chemin, direct[0], par_haproxy[0])
        assert par_haproxy[1] == direct[1] and len(direct[1]) > 0


def _sans_attente_de_nagle(g: grappe.Grappe) -> None:
    """A reader (started by rebond_ui.serveur) and HAProxy answer the small files of a first visit one after
    the other on a kept-alive connection without Nagle's 40 ms waits (tests/test_serveur.py)."""
    _, page = _telecharger(g.repliques["s1"] + "/")
    fichier = fichier_js(page.decode())
    for url in (g.repliques["s1"], g.url):
        assert_sans_attente_de_nagle(url, fichier)


def _projets(tuiles: dict[str, str]) -> int:
    return int("".join(c for c in tuiles[charge.TUILE_PROJETS] if c.isdigit()))


def test_deux_lecteurs_derriere_haproxy_et_un_import_pendant_la_charge(modele_base_demo: Path, tmp_path: Path) -> None:
    _exiger_haproxy()
    chemin = copie_de(modele_base_demo, tmp_path)
    base = Base.ouvrir(chemin, lecture_seule=True)
    try:
        version_avant = base.version_courante()
    finally:
        base.fermer()
    ports: list[int] = []
    while len(ports) < 3:
        if (port := port_libre()) not in ports:
            ports.append(port)

    with grappe.grappe(chemin, 2, ports[0], ports=ports[1:], dossier=tmp_path / "grappe") as g:
        # Warmed before HAProxy sends anyone: each reader ran the overview once and holds its figures.
        assert set(g.premieres_pages) == {"s1", "s2"} and min(g.premieres_pages.values()) > 0
        for url in g.repliques.values():
            assert _en_cache(url, "rebond_ui.donnees.indicateurs") > 0
        resultat = charge.charger(
            g.url, sessions=4, relances=3, pause=0.2, publier=charge.importeur(chemin, tmp_path), scenario="test"
        )
        journaux = {p.nom: p.journal.read_text(encoding="utf-8", errors="replace")[-2000:] for p in g.processus}
        _compresse_par_haproxy(g)
        _sans_attente_de_nagle(g)

    assert resultat.erreurs == [], journaux
    assert resultat.incoherences == []
    assert resultat.publication is not None and resultat.publication.version == version_avant + 1
    assert len(resultat.relances) == 4 * 3
    resume = charge.resume(resultat)
    assert set(resume["sessions_par_noeud"]) == {"s1", "s2"}  # HAProxy spread them over both readers
    assert set(resume["publication"]["visible_apres_s_par_noeud"]) == {"s1", "s2"}
    assert max(resume["publication"]["visible_apres_s_par_noeud"].values()) < 10
    for numero in range(4):
        vues = sorted((v for v in resultat.relances if v.session == numero), key=lambda v: v.rang)
        assert len({v.noeud for v in vues}) == 1  # sticky
        premiere, derniere = vues[0], vues[-1]
        assert (premiere.version, premiere.filtre) == (version_avant, "")
        assert vues[1].filtre != ""  # a region was chosen in between
        # The last rerun started after the import had published: the new version, one more project.
        assert derniere.debut >= (resultat.publication.fin or 0)
        assert (derniere.version, derniere.filtre) == (version_avant + 1, "")
        assert _projets(derniere.tuiles) == _projets(premiere.tuiles) + 1
