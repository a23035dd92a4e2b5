-- The payments of the projects of territory $territoire that differ between versions $avant and $apres:
-- added, modified or removed (a payment counts for the territory its project belongs to at that version).
with
    pa as (select id_projet from projets_a($avant) where code_territoire = $territoire),
    pb as (select id_projet from projets_a($apres) where code_territoire = $territoire),
    a as (select * from versements_a($avant) where id_projet in (select id_projet from pa)),
    b as (select * from versements_a($apres) where id_projet in (select id_projet from pb))
select
    coalesce(b.id_versement, a.id_versement) as id_versement,
    coalesce(b.id_projet, a.id_projet) as id_projet,
    case when a.id_versement is null then 'ajoute' when b.id_versement is null then 'retire' else 'modifie' end
        as changement,
    a.date as date_avant,
    a.nature as nature_avant,
    a.montant_eur as montant_avant,
    b.date as date_apres,
    b.nature as nature_apres,
    b.montant_eur as montant_apres
from a
full join b using (id_versement)
where a.id_versement is null
    or b.id_versement is null
    or a.id_projet is distinct from b.id_projet
    or a.date is distinct from b.date
    or a.nature is distinct from b.nature
    or a.montant_eur is distinct from b.montant_eur
order by coalesce(b.date, a.date), id_versement
