-- The named sums every indicator of the registry (rebond_core/indicateurs.py) is derived from, in one row:
--   projets        the projects of P summed per (statut, filière): a list of at most 42 structs;
--   territoires    the territories of T summed;
--   toute_la_base  the aid granted and the envelopes allotted on the whole base, whatever the filters (the
--                  aid envelope is national).
-- The payments and delays are those of sql/perimetre.sql, as of the reference date $au.
-- A new indicator over a new sum: one named expression here, one entry in the registry.
select
    (
        select list(sommes)
        from (
            select
                statut,
                filiere,
                count(*) as nombre,
                sum(investissement_eur) as investissement_eur,
                sum(emplois_prevus) as emplois_prevus,
                sum(coalesce(emplois_crees, 0)) as emplois_crees,
                sum(subvention_eur) as subventions_eur,
                sum(avance_remboursable_eur) as avances_eur,
                sum(aide_eur) as aides_eur,
                sum(coalesce(aide_demandee_eur, 0)) as aide_demandee_eur,
                sum(verse_subvention_eur) as verse_subventions_eur,
                sum(verse_avance_eur) as verse_avances_eur,
                sum(rembourse_eur) as rembourse_eur,
                count(*) filter (where en_attente_longue) as en_attente_longue,
                count(*) filter (where accorde_sans_versement) as accordes_sans_versement
            from p
            group by statut, filiere
        ) as sommes
    ) as projets,
    (
        select {
            'nombre': count(*),
            'cout_mission_eur': coalesce(sum(cout_mission_eur), 0),
            'enveloppe_aides_eur': coalesce(sum(enveloppe_aides_eur), 0)
        }
        from t
    ) as territoires,
    {
        'aides_accordees_eur': (select coalesce(sum(aide_eur), 0) from projets_version where accorde),
        'enveloppes_allouees_eur': (select coalesce(sum(enveloppe_aides_eur), 0) from territoires_a($version))
    } as toute_la_base
