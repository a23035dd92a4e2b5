"""Bench-only timing of the Streamlit server's script runs (bench/pages.py), loaded by Python at start-up
when this folder is on PYTHONPATH and REBOND_BENCH_CHRONO names a file: nothing changes otherwise, and the
application's code is never touched.

For each script run, one JSON line appended to $REBOND_BENCH_CHRONO:
- `debut`, `fin`: wall clock (epoch seconds) around the page script itself (Streamlit's
  exec_func_with_error_handling, in the script thread); `cpu_s`: CPU time of the script thread;
- `plotly_s`: time in plotly's figure → dict (plotly.tools.return_figure_from_figure_or_data, called by
  st.plotly_chart) and dict → JSON (plotly.io.to_json); `tableaux_s`: pandas Styler rendering and Arrow
  conversion of st.dataframe (marshall_styler, convert_pandas_df_to_arrow_bytes); `hachage_s`: Streamlit's
  hash of every message (forward_msg_cache.populate_hash_if_needed, for the browser's message cache);
  `figures_s`: time in the figure builders of rebond_core.figures; `duckdb_s` and `requetes`: time in and
  number of the queries of rebond_core.db.Base (lignes, dictionnaire, df, scalaire); `ramasse_miettes_s`:
  Python's garbage collections made in the script thread;
- `octets`: size of the messages of the run by element type (plotly_chart, arrow_data_frame, …; the
  message as built, before any reference to a copy already in the browser), `octets_envoyes` what was sent
  (a message the browser already holds goes as a short reference), `references`: how many went so;
- `profil` (when $REBOND_BENCH_PROFIL names a folder): the run's cProfile file, `run-<n>.prof`.
"""

from __future__ import annotations

import json
import os
import threading
import time
from typing import Any

FICHIER = os.environ.get("REBOND_BENCH_CHRONO")
DOSSIER_PROFIL = os.environ.get("REBOND_BENCH_PROFIL")
_courant = threading.local()  # the run in progress in this script thread (a dict), if any
_verrou = threading.Lock()
_numero = [0]


def _ajouter(cle: str, duree: float) -> None:
    mesure = getattr(_courant, "mesure", None)
    if mesure is not None:
        mesure[cle] = mesure.get(cle, 0.0) + duree


def _chronometre(fonction: Any, cle: str) -> Any:
    """`fonction` timed under `cle`; a call inside another of the same key is counted once (the outer)."""

    def enveloppe(*args: Any, **kwargs: Any) -> Any:
        en_cours: set[str] = getattr(_courant, "en_cours", set())
        _courant.en_cours = en_cours
        if cle in en_cours:
            return fonction(*args, **kwargs)
        en_cours.add(cle)
        debut = time.perf_counter()
        try:
            return fonction(*args, **kwargs)
        finally:
            en_cours.discard(cle)
            _ajouter(cle, time.perf_counter() - debut)

    enveloppe.__wrapped__ = fonction  # type: ignore[attr-defined]
    return enveloppe


def _compter(fonction: Any, cle: str) -> Any:
    """`fonction` counted under `cle` (number of calls)."""

    def enveloppe(*args: Any, **kwargs: Any) -> Any:
        mesure = getattr(_courant, "mesure", None)
        if mesure is not None:
            mesure[cle] = mesure.get(cle, 0) + 1
        return fonction(*args, **kwargs)

    enveloppe.__wrapped__ = fonction  # type: ignore[attr-defined]
    return enveloppe


def _installer_module(module: Any) -> None:
    """Timers in a module as soon as it is imported (see _ApresImport)."""
    nom = module.__name__
    if nom == "plotly.io" and not hasattr(module.to_json, "__wrapped__"):
        module.to_json = _chronometre(module.to_json, "plotly_s")
    elif nom == "plotly.tools" and not hasattr(module.return_figure_from_figure_or_data, "__wrapped__"):
        module.return_figure_from_figure_or_data = _chronometre(module.return_figure_from_figure_or_data, "plotly_s")
    elif nom == "rebond_core.db":
        for methode in ("lignes", "dictionnaire", "df", "scalaire"):
            fonction = getattr(module.Base, methode, None)
            if fonction is not None and not hasattr(fonction, "__wrapped__"):
                setattr(module.Base, methode, _compter(_chronometre(fonction, "duckdb_s"), "requetes"))
    elif nom == "rebond_core.figures":
        import inspect  # noqa: PLC0415

        for nom_fonction, fonction in list(vars(module).items()):
            if inspect.isfunction(fonction) and fonction.__module__ == nom and not nom_fonction.startswith("_"):
                setattr(module, nom_fonction, _chronometre(fonction, "figures_s"))


class _ApresImport:
    """A meta-path finder that installs the timers of a module as soon as it is imported (inside the first
    run: importing plotly here would move its import time out of the first page's measure)."""

    NOMS = ("plotly.io", "plotly.tools", "rebond_core.db", "rebond_core.figures")

    def find_spec(self, nom: str, chemin: Any, cible: Any = None) -> Any:
        if nom not in self.NOMS:
            return None
        import importlib.machinery  # noqa: PLC0415

        spec = importlib.machinery.PathFinder.find_spec(nom, chemin)
        if spec is None or spec.loader is None:
            return spec
        executer = spec.loader.exec_module

        def exec_module(module: Any) -> None:
            executer(module)
            _installer_module(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _ramasse_miettes(phase: str, info: dict[str, Any]) -> None:
    """gc.callbacks: the time of each collection made in a script thread during a run (`ramasse_miettes_s`)."""
    if phase == "start":
        _courant.gc_debut = time.perf_counter()
    elif getattr(_courant, "gc_debut", None) is not None:
        _ajouter("ramasse_miettes_s", time.perf_counter() - _courant.gc_debut)
        _courant.gc_debut = None


def _installer() -> None:
    import gc  # noqa: PLC0415
    import sys  # noqa: PLC0415

    gc.callbacks.append(_ramasse_miettes)

    from streamlit import dataframe_util  # noqa: PLC0415
    from streamlit.elements import arrow  # noqa: PLC0415
    from streamlit.elements.lib import pandas_styler_utils  # noqa: PLC0415
    from streamlit.runtime.scriptrunner import script_runner  # noqa: PLC0415
    from streamlit.runtime.scriptrunner_utils import script_run_context  # noqa: PLC0415

    sys.meta_path.insert(0, _ApresImport())
    for nom in _ApresImport.NOMS:
        if nom in sys.modules:
            _installer_module(sys.modules[nom])

    dataframe_util.convert_pandas_df_to_arrow_bytes = _chronometre(
        dataframe_util.convert_pandas_df_to_arrow_bytes, "tableaux_s"
    )
    arrow.marshall_styler = _chronometre(arrow.marshall_styler, "tableaux_s")
    pandas_styler_utils.marshall_styler = arrow.marshall_styler
    script_run_context.populate_hash_if_needed = _chronometre(script_run_context.populate_hash_if_needed, "hachage_s")

    mettre_en_file = script_run_context.ScriptRunContext.enqueue

    def enqueue(self: Any, msg: Any) -> None:
        mettre_en_file(self, msg)
        mesure = getattr(_courant, "mesure", None)
        if mesure is None:
            return
        genre = msg.WhichOneof("type")
        if genre == "delta":
            delta = msg.delta.WhichOneof("type")
            genre = msg.delta.new_element.WhichOneof("type") if delta == "new_element" else delta
        taille = msg.ByteSize()
        octets = mesure.setdefault("octets", {})
        octets[genre] = octets.get(genre, 0) + taille
        if msg.metadata.cacheable and msg.hash and msg.hash in self.cached_message_hashes:
            mesure["references"] = mesure.get("references", 0) + 1
            taille = 200  # a reference message: the hash and the metadata
        mesure["octets_envoyes"] = mesure.get("octets_envoyes", 0) + taille

    script_run_context.ScriptRunContext.enqueue = enqueue  # type: ignore[method-assign]

    executer = script_runner.exec_func_with_error_handling

    def exec_func_with_error_handling(fonction: Any, ctx: Any) -> Any:
        mesure: dict[str, Any] = {"debut": time.time(), "page": getattr(ctx, "page_script_hash", "")}
        _courant.mesure = mesure
        cpu = time.thread_time()
        profil = None
        if DOSSIER_PROFIL:
            import cProfile  # noqa: PLC0415

            profil = cProfile.Profile()
            profil.enable()
        try:
            return executer(fonction, ctx)
        finally:
            if profil is not None:
                profil.disable()
            mesure["fin"] = time.time()
            mesure["cpu_s"] = time.thread_time() - cpu
            _courant.mesure = None
            with _verrou:
                _numero[0] += 1
                if profil is not None and DOSSIER_PROFIL:
                    chemin = os.path.join(DOSSIER_PROFIL, f"run-{_numero[0]:03d}.prof")
                    profil.dump_stats(chemin)
                    mesure["profil"] = chemin
                with open(FICHIER or os.devnull, "a", encoding="utf-8") as flux:
                    flux.write(json.dumps(mesure) + "\n")

    script_runner.exec_func_with_error_handling = exec_func_with_error_handling  # type: ignore[assignment]


if FICHIER:
    _installer()
