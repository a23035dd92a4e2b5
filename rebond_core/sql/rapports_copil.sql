-- The COPIL reports generated (rebond_core/rapports/historique.py): which version each territory's report
-- was made on, so that the next report compares with it. Not versioned data: a restore leaves it as it is.
create table if not exists rapports_copil (
    code_territoire varchar not null,
    version integer not null,          -- the data version the report showed
    depuis_version integer not null,   -- the version its "what changed" part compared with
    au date not null,                  -- its reference date
    genere_le timestamp not null,
    origine varchar not null           -- 'ligne de commande' or 'tableau de bord'
);
