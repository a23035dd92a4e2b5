-- Aid granted per decision date (granted projects of P), with the running total.
select
    date_decision,
    sum(subvention_eur + avance_remboursable_eur) as aides_eur,
    sum(sum(subvention_eur + avance_remboursable_eur)) over (order by date_decision) as cumul_eur
from p
where statut = 'accorde' and date_decision is not null
group by date_decision
order by date_decision
