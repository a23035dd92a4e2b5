-- The payments and repayments of the projects of P dated on or before the reference date, newest first,
-- with the project's title, company and territory.
select
    v.id_versement,
    v.date,
    v.nature,
    v.montant_eur,
    p.id_projet,
    p.intitule,
    p.entreprise,
    p.code_territoire,
    t.nom as territoire
from versements_a($version) as v
join p on p.id_projet = v.id_projet
join t on t.code_territoire = p.code_territoire
where v.date <= $au::date
order by v.date desc, v.id_versement
