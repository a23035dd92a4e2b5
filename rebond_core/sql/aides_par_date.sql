-- Aid granted per decision date (granted projects of P, decisions dated on or before the reference date),
-- with the running total.
select
    date_decision,
    sum(aide_eur) as aides_eur,
    sum(sum(aide_eur)) over (order by date_decision) as cumul_eur
from p
where accorde and date_decision is not null and date_decision <= $au::date
group by date_decision
order by date_decision
