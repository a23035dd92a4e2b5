-- Laureate territories per relève (every relève of the calendar, 0 when none), with the running total.
select
    r.numero as releve,
    r.date_limite,
    r.date_annonce,
    count(t.code_territoire) as laureats,
    sum(count(t.code_territoire)) over (order by r.numero) as cumul
from releves_a($version) as r
left join t on t.releve = r.numero
group by r.numero, r.date_limite, r.date_annonce
order by r.numero
