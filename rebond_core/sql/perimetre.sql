-- The scope of every indicator: territories T and projects P after the four filters, as of $version and of
-- the reference date $au. Filters combine with AND; the values of one filter with OR; an empty list means
-- no filter. The domain rules of rebond_core/domaine.py and config.py are bound ($statuts_actifs,
-- $statut_accorde, $statuts_pipeline, $attente_max_jours, $delai_versement_jours) and applied here once,
-- as columns of each project:
--   actif, accorde, aide_eur (aid = grant + advance);
--   verse_subvention_eur, verse_avance_eur, verse_eur, rembourse_eur: its payments and repayments dated on
--     or before $au (0 when none), premier_versement / dernier_versement: the dates of its first and last
--     payment (grant or advance) on or before $au;
--   en_attente_longue: prioritised or filed, and reached that status more than $attente_max_jours days
--     before $au (a missing date_statut is not counted);
--   accorde_sans_versement: granted more than $delai_versement_jours days before $au, and no payment of
--     its grant or advance dated on or before $au.
with
versements_au as (
    select
        id_projet,
        sum(montant_eur) filter (where nature = 'subvention') as verse_subvention_eur,
        sum(montant_eur) filter (where nature = 'avance') as verse_avance_eur,
        sum(montant_eur) filter (where nature = 'remboursement') as rembourse_eur,
        min(date) filter (where nature in ('subvention', 'avance')) as premier_versement,
        max(date) filter (where nature in ('subvention', 'avance')) as dernier_versement
    from versements_a($version)
    where date <= $au::date
    group by id_projet
),
-- Not materialized: each query reads only the few columns it needs (measured faster on a large base).
projets_version as not materialized (
    select
        projets.*,
        list_contains($statuts_actifs::varchar[], projets.statut) as actif,
        projets.statut = $statut_accorde::varchar as accorde,
        projets.subvention_eur + projets.avance_remboursable_eur as aide_eur,
        coalesce(v.verse_subvention_eur, 0) as verse_subvention_eur,
        coalesce(v.verse_avance_eur, 0) as verse_avance_eur,
        coalesce(v.verse_subvention_eur, 0) + coalesce(v.verse_avance_eur, 0) as verse_eur,
        coalesce(v.rembourse_eur, 0) as rembourse_eur,
        v.premier_versement,
        v.dernier_versement,
        coalesce(
            list_contains($statuts_pipeline::varchar[], projets.statut)
            and date_diff('day', projets.date_statut, $au::date) > $attente_max_jours::integer,
            false
        ) as en_attente_longue,
        coalesce(
            projets.statut = $statut_accorde::varchar
            and date_diff('day', projets.date_decision, $au::date) > $delai_versement_jours::integer
            and v.premier_versement is null,
            false
        ) as accorde_sans_versement
    from projets_a($version) as projets
    left join versements_au as v on v.id_projet = projets.id_projet
),
territoires_filtres as (
    select *
    from territoires_a($version)
    where (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], region))
      and (len($releves::integer[]) = 0 or list_contains($releves::integer[], releve))
      and (len($territoires::varchar[]) = 0 or list_contains($territoires::varchar[], code_territoire))
),
p as (
    select projets.*
    from projets_version as projets
    where projets.code_territoire in (select code_territoire from territoires_filtres)
      and (len($filieres::varchar[]) = 0 or list_contains($filieres::varchar[], projets.filiere))
),
t as (
    select *
    from territoires_filtres
    where len($filieres::varchar[]) = 0
       or list_has_any(filieres, $filieres::varchar[])
       or code_territoire in (select code_territoire from p)
)
