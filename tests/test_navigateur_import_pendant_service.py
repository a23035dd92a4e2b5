"""The command line imports while the dashboard runs (issue 13): the dashboard, import enabled (the writer of
`make run`), reads the published snapshot and opens the working base only for its own writes, so an import
from another process is accepted and the page shows the new version at its next run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.outils.bases import copie_de
from tests.outils.navigateur import MARQUES, attendre
from tests.outils.serveur import RACINE, serveur_streamlit

pytestmark = MARQUES

ENTETE = "id_projet;code_territoire;intitule;entreprise;filiere;origine;statut;investissement_eur;emplois_prevus\r\n"
LIGNE = "PRJ-douaisis-001;douaisis;Ligne modernisée;Firme test;automobile;endogene;abandonne;1 000 000;0\r\n"


def test_a_command_line_import_while_the_dashboard_runs(modele_base_demo: Path, tmp_path: Path, page: Any) -> None:
    chemin = copie_de(modele_base_demo, tmp_path)
    fichier = tmp_path / "projets.csv"
    fichier.write_bytes((ENTETE + LIGNE).encode("utf-8"))
    with serveur_streamlit(chemin, tmp_path / "streamlit.log") as url:
        page.goto(f"{url}/historique")
        attendre(page)
        assert "version 1 du" in page.inner_text("body")
        resultat = subprocess.run(
            [sys.executable, "-m", "rebond_core", "importer", str(fichier), "--db", str(chemin), "--auteur", "CLI"],
            cwd=RACINE,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert resultat.returncode == 0, resultat.stderr
        page.reload()
        attendre(page)
        texte = page.inner_text("body")
        assert "version 2 du" in texte and "(auteur : CLI)" in texte
