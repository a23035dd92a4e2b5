-- The projects whose status differs between versions $avant and $apres (new or removed ones included).
select
    coalesce(b.id_projet, a.id_projet) as id_projet,
    coalesce(b.code_territoire, a.code_territoire) as code_territoire,
    coalesce(b.intitule, a.intitule) as intitule,
    coalesce(b.entreprise, a.entreprise) as entreprise,
    a.statut as statut_avant,
    b.statut as statut_apres
from projets_a($avant) as a
full join projets_a($apres) as b using (id_projet)
where a.statut is distinct from b.statut
order by code_territoire, id_projet
