"""Running the dashboard with AppTest: the entry point, with link parameters, on a given page.

The pages' error boundary turns an unexpected exception into a French message (and a logged traceback),
so AppTest would not see it as an exception: `sans_erreur_inattendue` checks for that message too.

`sans_erreur_inattendue` pickles every value the application keeps in the session (ready for a session
store). Streamlit's option `runner.enforceSerializableSessionState` cannot do it: AppTest keeps its own
unpicklable helpers (format functions) there, and so does Streamlit for each chart (the state of a
`st.components.v2` component, a local class: rebond_ui/graphiques.py), so those are left out."""

from __future__ import annotations

import pickle
from pathlib import Path

import pandas as pd
from streamlit import config
from streamlit.runtime.state.common import TESTING_KEY
from streamlit.testing.v1 import AppTest

from rebond_ui.cadre import ERREUR_INATTENDUE

POINT_D_ENTREE = str(Path(__file__).resolve().parent.parent.parent / "dashboard.py")


def sans_erreur_inattendue(at: AppTest) -> None:
    """No exception escaped the page, the boundary caught none either (see the log for its traceback), and
    everything the application keeps in the session pickles."""
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error if ERREUR_INATTENDUE in e.value], "erreur inattendue : voir le journal"
    for cle in at.session_state:
        valeur = at.session_state[cle]
        if cle != TESTING_KEY and not type(valeur).__module__.startswith("streamlit.components.v2"):
            pickle.dumps(valeur)


def tableau(at: AppTest, *colonnes: str) -> pd.DataFrame:
    """The one table of the page that shows these columns (a table without row selection carries no key
    in AppTest, so tables are found by what they show rather than by their position)."""
    trouves = [d.value for d in at.dataframe if set(colonnes) <= set(d.value.columns)]
    assert len(trouves) == 1, f"{len(trouves)} tableau(x) avec les colonnes {colonnes}"
    return trouves[0]


def session() -> AppTest:
    """A new browser session of the dashboard, not run yet."""
    config.set_option("runner.enforceSerializableSessionState", False)
    return AppTest.from_file(POINT_D_ENTREE, default_timeout=120)


def lancer(parametres: dict[str, str | list[str]] | None = None, page: str | None = None) -> AppTest:
    """Run the app once with these query parameters, then switch to `page`; no unexpected error allowed."""
    at = session()
    for cle, valeur in (parametres or {}).items():
        at.query_params[cle] = valeur
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    sans_erreur_inattendue(at)
    return at
