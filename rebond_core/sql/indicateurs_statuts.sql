select statut, count(*) as nombre
from p
group by statut
