-- Payments (grants and advances) and repayments of the projects of P per value date, up to the reference
-- date, with their running totals.
select
    v.date,
    coalesce(sum(v.montant_eur) filter (where v.nature in ('subvention', 'avance')), 0) as verse_eur,
    coalesce(sum(v.montant_eur) filter (where v.nature = 'remboursement'), 0) as rembourse_eur,
    sum(coalesce(sum(v.montant_eur) filter (where v.nature in ('subvention', 'avance')), 0))
        over (order by v.date) as cumul_verse_eur,
    sum(coalesce(sum(v.montant_eur) filter (where v.nature = 'remboursement'), 0))
        over (order by v.date) as cumul_rembourse_eur
from versements_a($version) as v
join p on p.id_projet = v.id_projet
where v.date <= $au::date
group by v.date
order by v.date
