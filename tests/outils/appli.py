"""Running the dashboard with AppTest: the entry point, with link parameters, on a given page."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

POINT_D_ENTREE = str(Path(__file__).resolve().parent.parent.parent / "dashboard.py")


def lancer(parametres: dict[str, str | list[str]] | None = None, page: str | None = None) -> AppTest:
    """Run the app once with these query parameters, then switch to `page`; no exception allowed."""
    at = AppTest.from_file(POINT_D_ENTREE, default_timeout=120)
    for cle, valeur in (parametres or {}).items():
        at.query_params[cle] = valeur
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
