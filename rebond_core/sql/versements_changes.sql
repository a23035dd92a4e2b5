-- The payments (contract 2) that differ between versions $avant and $apres: added, modified or removed.
select
    coalesce(b.id_versement, a.id_versement) as id_versement,
    coalesce(b.id_projet, a.id_projet) as id_projet,
    case when a.id_versement is null then 'ajoute' when b.id_versement is null then 'retire' else 'modifie' end
        as changement,
    a.id_projet as id_projet_avant,
    a.date as date_avant,
    a.nature as nature_avant,
    a.montant_eur as montant_avant,
    b.date as date_apres,
    b.nature as nature_apres,
    b.montant_eur as montant_apres
from versements_a($avant) as a
full join versements_a($apres) as b using (id_versement)
where a.id_versement is null
    or b.id_versement is null
    or a.id_projet is distinct from b.id_projet
    or a.date is distinct from b.date
    or a.nature is distinct from b.nature
    or a.montant_eur is distinct from b.montant_eur
order by id_projet, id_versement
