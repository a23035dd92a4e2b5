"""The import pipeline: read → validate (models, cells) → contract rules → plan → write one version.

Outside this package, import from `pipeline` (`importer`, `ResultatImport`), `lecture`
(`verifier_televersement`), `rapport` (`Rapport`, `a_corriger_d_abord`) and `modele_classeur`
(`ecrire_modele`); the other modules are the pipeline's own steps. Nothing is imported here, so that
`rebond_core.importation.definitions` stays cheap for the storage modules and the command line starts fast.

- `lecture`, `classeur_xml`: files to raw tables (XLSX via calamine, CSV from French Excel);
- `colonnes`: raw tables column by column, each column's distinct cells once (plain CSV read by Arrow);
- `cellules`: one pure parser per cell type (`lire_nombre`, `lire_date`…);
- `en_bloc`: a column's distinct cells validated in bulk, pydantic reading only the doubtful ones;
- `modeles`: one pydantic field registry per table; `definitions`: the five tables in order (`versements`
  since contract 2);
- `validation`: cells column by column; `regles`: the rules across rows and tables;
- `rapport`, `messages`: the error report with stable codes and French messages;
- `notice`, `modele_classeur`: the empty template and its notice sheet;
- `pipeline`: the whole import as one transaction.
"""
