-- The projects of territory $territoire whose status differs between versions $avant and $apres (new or
-- removed ones included): the projects of the territory at either version, nothing of another territory.
with
    a as (select * from projets_a($avant) where code_territoire = $territoire),
    b as (select * from projets_a($apres) where code_territoire = $territoire)
select
    coalesce(b.id_projet, a.id_projet) as id_projet,
    coalesce(b.intitule, a.intitule) as intitule,
    coalesce(b.entreprise, a.entreprise) as entreprise,
    a.statut as statut_avant,
    b.statut as statut_apres,
    b.date_decision as date_decision,
    b.date_statut as date_statut,
    coalesce(b.subvention_eur, 0) + coalesce(b.avance_remboursable_eur, 0) as aide_apres_eur
from a
full join b using (id_projet)
where a.statut is distinct from b.statut
order by id_projet
