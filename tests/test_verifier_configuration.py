"""`make run` refuses to start on an incomplete [auth] section, in French, and says which mode it starts in."""

from __future__ import annotations

from pathlib import Path

import pytest

from rebond_ui.verifier_configuration import main

COMPLETE = """[auth]
redirect_uri = "http://127.0.0.1:8501/oauth2callback"
cookie_secret = "un-secret-de-trente-deux-caracteres-au-moins"
client_id = "rebond"
client_secret = "secret"
server_metadata_url = "https://exemple.gouv.fr/.well-known/openid-configuration"
"""


def test_no_secrets_file_is_local_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(tmp_path / "absent.toml") == 0
    assert "Mode local — sans authentification" in capsys.readouterr().out


def test_a_complete_section_is_authenticated_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "secrets.toml").write_text(COMPLETE, encoding="utf-8")
    assert main(tmp_path / "secrets.toml") == 0
    assert "Mode authentifié" in capsys.readouterr().out


def test_a_partial_section_stops_the_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    partielle = "\n".join(ligne for ligne in COMPLETE.splitlines() if not ligne.startswith("client_secret"))
    (tmp_path / "secrets.toml").write_text(partielle, encoding="utf-8")
    assert main(tmp_path / "secrets.toml") == 2
    erreur = capsys.readouterr().err
    assert "client_secret" in erreur and "refuse de démarrer" in erreur


def test_an_unreadable_file_stops_the_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "secrets.toml").write_text("[auth\nclient_id = ", encoding="utf-8")
    assert main(tmp_path / "secrets.toml") == 2
    assert "illisible" in capsys.readouterr().err
