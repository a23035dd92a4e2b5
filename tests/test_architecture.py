"""Rules of the codebase: the core never imports Streamlit; every issue code has a French message."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from rebond_core.importation.messages import AVERTISSEMENTS, MESSAGES

CORE = Path(__file__).resolve().parent.parent / "rebond_core"


def _modules_importes(chemin: Path) -> set[str]:
    arbre = ast.parse(chemin.read_text(encoding="utf-8"))
    noms: set[str] = set()
    for noeud in ast.walk(arbre):
        if isinstance(noeud, ast.Import):
            noms.update(alias.name.split(".")[0] for alias in noeud.names)
        elif isinstance(noeud, ast.ImportFrom) and noeud.module:
            noms.add(noeud.module.split(".")[0])
    return noms


def test_le_coeur_n_importe_pas_streamlit() -> None:
    fautifs = [p.name for p in CORE.rglob("*.py") if "streamlit" in _modules_importes(p)]
    assert fautifs == []
    code = "import sys, rebond_core.cli, rebond_core.creation; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=CORE.parent)


def test_chaque_code_emis_a_un_message_francais() -> None:
    emis: set[str] = set()
    motifs = [r'ajouter\(\s*"([a-z-]+)"', r'_erreur\(\s*"([a-z-]+)"', r'CelluleInvalide\(\s*"([a-z-]+)"']
    for chemin in CORE.rglob("*.py"):
        texte = chemin.read_text(encoding="utf-8")
        for motif in motifs:
            emis.update(re.findall(motif, texte))
    assert len(emis) > 30
    assert emis - set(MESSAGES) == set()
    assert AVERTISSEMENTS <= set(MESSAGES)
