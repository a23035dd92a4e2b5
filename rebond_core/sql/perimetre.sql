-- The scope of every indicator: territories T and projects P after the four filters, as of $version.
-- Filters combine with AND; the values of one filter with OR; an empty list means no filter.
-- The domain rules of rebond_core/domaine.py are bound ($statuts_actifs, $statut_accorde) and applied
-- here once, as columns of each project: `actif`, `accorde`, and `aide_eur` (aid = grant + advance).
with
-- Not materialized: each query reads only the few columns it needs (measured faster on a large base).
projets_version as not materialized (
    select
        *,
        list_contains($statuts_actifs::varchar[], statut) as actif,
        statut = $statut_accorde::varchar as accorde,
        subvention_eur + avance_remboursable_eur as aide_eur
    from projets_a($version)
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
