"""Compile one report in a process of its own (run by moteur.pdf as `python -I compilation.py MODELE RACINE
POLICES`): the report's data as JSON on standard input, the PDF on standard output, Typst's warnings on
standard error (one per line), exit status 1 with the error on standard error.

Typst keeps what it laid out in a process-wide memory to go faster next time: hundreds of megabytes after a
few reports with long project tables. In a process that ends with the report, that memory goes back to the
system at once instead of weighing on the dashboard's server. This file imports nothing of Rebond, so the
process starts in a few milliseconds."""

from __future__ import annotations

import sys

import typst


def main() -> int:
    modele, racine, polices = sys.argv[1:4]
    donnees = sys.stdin.buffer.read().decode("utf-8")
    try:
        pdf, avertissements = typst.compile_with_warnings(
            modele,
            root=racine,
            font_paths=[polices],
            ignore_system_fonts=True,
            sys_inputs={"donnees": donnees},
            pdf_standards=["ua-1"],
        )
    except typst.TypstError as erreur:
        sys.stderr.write(f"{erreur.message}\n")
        return 1
    for avertissement in avertissements:
        sys.stderr.write(f"{getattr(avertissement, 'message', avertissement)}\n")
    sys.stdout.buffer.write(pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
