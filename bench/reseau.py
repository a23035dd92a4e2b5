"""La vue d'ensemble à travers un réseau lent, en direct et derrière HAProxy (HTTP/1.1, ou HTTP/2 sur TLS).

    .venv/bin/python bench/reseau.py [--tours 3] [--db CHEMIN]

bench/pages.py mesure sur la boucle locale : aucun temps de trajet, un débit sans limite. Un vrai poste est à
quelques dizaines de millisecondes du serveur, et la première visite charge environ 120 fichiers JavaScript :
en HTTP/1.1, le navigateur n'ouvre que 6 connexions par serveur, donc ces fichiers arrivent par vagues, une
latence par vague. Ici, Chromium simule le réseau (Network.emulateNetworkConditions : une latence ajoutée à
chaque requête, des débits plafonnés ; le websocket n'est pas ralenti) pour deux profils, et la première
apparition de la vue d'ensemble (même définition que bench/pages.py : page complète, graphiques dessinés,
cache du navigateur vide) est mesurée sur :

- `direct` : un lecteur Streamlit seul (HTTP/1.1, sans compression de la page ni de /static/) ;
- `haproxy-h1` : derrière HAProxy tel que deploiement/haproxy.cfg.modele le configure (HTTP/1.1, gzip) ;
- `haproxy-h2` : le même HAProxy, avec TLS et HTTP/2 (`bind … ssl crt … alpn h2,http/1.1`, certificat
  auto-signé créé pour la mesure) : tous les fichiers sur une connexion, sans attente de vague.

Un lecteur et deux HAProxy (deploiement/grappe.py), réchauffés ; variantes en ordre alterné d'un tour à
l'autre. Sortie : chaque mesure, les médianes, et bench/resultats/reseau.json. HAProxy et openssl (paquets
Debian) sont nécessaires."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

import pages as banc  # bench/pages.py, à côté de ce fichier

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE / "deploiement"))
import grappe  # noqa: E402

# Latence ajoutée à chaque requête (ms), débits descendant et montant (bit/s).
PROFILS = {
    "bureau (20 ms, 50 Mbit/s)": (20, 50e6, 10e6),
    "distant (60 ms, 10 Mbit/s)": (60, 10e6, 2e6),
}


def certificat(dossier: Path) -> Path:
    """Un certificat auto-signé pour 127.0.0.1 et sa clé, dans un seul fichier PEM (ce que lit HAProxy)."""
    cle, cert = dossier / "cle.pem", dossier / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(cle), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    pem = dossier / "rebond.pem"
    pem.write_bytes(cert.read_bytes() + cle.read_bytes())
    return pem


def haproxy_h2(dossier: Path, port: int, lecteur: str, pem: Path) -> grappe.Processus:
    """Un second HAProxy, même modèle, lié en TLS avec HTTP/2 proposé (ALPN), devant le même lecteur, dans son
    propre groupe de processus (arrêté par grappe.arreter) ; rendu quand il accepte les connexions."""
    executable = grappe.haproxy()
    assert executable is not None
    config = dossier / "haproxy-h2.cfg"
    ecoute = f"127.0.0.1:{port} ssl crt {pem} alpn h2,http/1.1"
    config.write_text(grappe.configuration_haproxy(ecoute, {"s1": lecteur}), encoding="utf-8")
    journal = dossier / "haproxy-h2.log"
    with open(journal, "wb") as sortie:
        popen = subprocess.Popen(
            [executable, "-f", str(config), "-db"], stdout=sortie, stderr=subprocess.STDOUT, start_new_session=True
        )
    echeance = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return grappe.Processus("HAProxy TLS + HTTP/2", popen, journal)
        except OSError:
            if popen.poll() is not None or time.monotonic() > echeance:
                fin = journal.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"HAProxy (TLS) ne démarre pas : {fin}") from None
            time.sleep(0.1)


def premiere_apparition(navigateur: Any, url: str, profil: tuple[float, float, float]) -> dict[str, Any]:
    """Une première apparition de `url` dans un contexte neuf, sous le profil réseau : ms jusqu'à la page
    complète, octets transférés et protocole de la page."""
    latence, descendant, montant = profil
    contexte = navigateur.new_context(
        locale="fr-FR", viewport={"width": 1400, "height": 1000}, ignore_https_errors=True
    )
    try:
        contexte.add_init_script(banc.SCRIPT_INITIAL)
        page = contexte.new_page()
        cdp = contexte.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": latence,
                "downloadThroughput": descendant / 8,
                "uploadThroughput": montant / 8,
            },
        )
        page.goto(url + "/")
        complete = page.wait_for_function(banc.CHARGEMENT_FINI, polling="raf", timeout=180_000).json_value()
        ressources = page.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " const r = performance.getEntriesByType('resource');"
            " return [n.nextHopProtocol, r.length, r.reduce((s, e) => s + e.transferSize, n.transferSize)]; }"
        )
        return {"complete_ms": complete, "protocole": ressources[0], "requetes": ressources[1], "octets": ressources[2]}
    finally:
        contexte.close()


def main(argv: list[str] | None = None) -> int:
    analyseur = argparse.ArgumentParser(description="La vue d'ensemble sur un réseau lent, direct et via HAProxy.")
    analyseur.add_argument("--tours", type=int, default=3, help="tours, variantes en ordre alterné (3)")
    analyseur.add_argument(
        "--base", type=Path, default=RACINE / "bench" / "resultats" / "bases" / "demo.duckdb", help="base copiée"
    )
    analyseur.add_argument("--port", type=int, default=8750, help="premier port utilisé (8750)")
    args = analyseur.parse_args(argv)
    if grappe.haproxy() is None or shutil.which("openssl") is None:
        print("HAProxy et openssl sont nécessaires (apt-get install haproxy openssl).", file=sys.stderr)
        return 2
    if not args.base.is_file():
        print(f"Base introuvable : {args.base} (bench/bench.py --pages la prépare).", file=sys.stderr)
        return 2
    mesures: dict[str, dict[str, list[dict[str, Any]]]] = {p: {} for p in PROFILS}
    with ExitStack() as pile:
        dossier = Path(pile.enter_context(tempfile.TemporaryDirectory(prefix="rebond-reseau-")))
        copie = dossier / "base.duckdb"
        shutil.copy(args.base, copie)
        g = pile.enter_context(grappe.grappe(copie, 1, args.port, dossier=dossier / "grappe"))
        h2 = haproxy_h2(dossier, args.port + 10, g.repliques["s1"].removeprefix("http://"), certificat(dossier))
        pile.callback(grappe.arreter, [h2])
        variantes = {
            "direct": g.repliques["s1"],
            "haproxy-h1": g.url,
            "haproxy-h2": f"https://127.0.0.1:{args.port + 10}",
        }
        pw = pile.enter_context(sync_playwright())  # after the warm-up, which runs its own asyncio loop
        navigateur = pw.chromium.launch(executable_path=banc.CHROMIUM, args=banc.ARGUMENTS_CHROMIUM)
        pile.callback(navigateur.close)
        for tour in range(args.tours):
            print(f"tour {tour + 1}/{args.tours}", flush=True)
            ordre = list(variantes.items()) if tour % 2 == 0 else list(variantes.items())[::-1]
            for profil, conditions in PROFILS.items():
                for nom, url in ordre:
                    m = premiere_apparition(navigateur, url, conditions)
                    mesures[profil].setdefault(nom, []).append(m)
                    print(
                        f"  {profil:<28} {nom:<11} complète {m['complete_ms']:6.0f} ms | {m['protocole']:<8} "
                        f"{m['requetes']} requêtes, {m['octets'] / 1e6:.2f} Mo | charge {os.getloadavg()[0]:.1f}",
                        flush=True,
                    )
    print("\nMédianes de la première apparition (ms jusqu'à la page complète) :")
    print("| profil | " + " | ".join(variantes) + " |")
    print("| --- |" + " ---: |" * len(variantes))
    for profil, par_variante in mesures.items():
        valeurs = [statistics.median(m["complete_ms"] for m in par_variante[nom]) for nom in variantes]
        octets = [statistics.median(m["octets"] for m in par_variante[nom]) / 1e6 for nom in variantes]
        cellules = [f"{v:.0f} ({o:.1f} Mo)".replace(".", ",") for v, o in zip(valeurs, octets, strict=True)]
        print(f"| {profil} | " + " | ".join(cellules) + " |")
    sortie = RACINE / "bench" / "resultats" / "reseau.json"
    sortie.parent.mkdir(parents=True, exist_ok=True)
    sortie.write_text(json.dumps({"profils": PROFILS, "mesures": mesures}, indent=1), encoding="utf-8")
    print(f"Résultats : {sortie}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
