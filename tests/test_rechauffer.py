"""What the websocket client of deploiement/rechauffer.py (also bench/charge.py's) counts as an error shown to
a person, on Streamlit's own messages."""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "deploiement"))

from rechauffer import erreur_affichee  # noqa: E402


def _alerte(format_: int, texte: str) -> ForwardMsg:
    message = ForwardMsg()
    message.delta.new_element.alert.body = texte
    message.delta.new_element.alert.format = format_
    return message


def test_erreurs_affichees() -> None:
    exception = ForwardMsg()
    exception.delta.new_element.exception.type = "KeyError"
    exception.delta.new_element.exception.message = "'region'"
    assert erreur_affichee(exception) == "exception : KeyError 'region'"
    assert erreur_affichee(_alerte(Alert.ERROR, "Base indisponible.")) == "Base indisponible."
    introuvable = ForwardMsg()
    introuvable.page_not_found.page_name = "inconnue"
    assert erreur_affichee(introuvable) == "page introuvable"
    compilation = ForwardMsg()
    compilation.script_finished = ForwardMsg.FINISHED_WITH_COMPILE_ERROR
    assert erreur_affichee(compilation) == "le script de la page ne compile pas"


def test_le_reste_n_est_pas_une_erreur() -> None:
    assert erreur_affichee(_alerte(Alert.WARNING, "Dépassement d'enveloppe.")) is None
    assert erreur_affichee(_alerte(Alert.INFO, "Aucun versement.")) is None
    fin = ForwardMsg()
    fin.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    assert erreur_affichee(fin) is None
    texte = ForwardMsg()
    texte.delta.new_element.markdown.body = "Erreur : le mot seul n'en fait pas une"
    assert erreur_affichee(texte) is None
