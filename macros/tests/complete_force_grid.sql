{#-
    Every period (and breakdown and unit) of a measure must have a row for each of the 43 force areas
    and for England and Wales: a gap is a row with a status, never an absent row. Fails with one row
    per incomplete period.
-#}
{% test complete_force_grid(model, grain_columns) %}

with

expected as (

    select count(*) as expected_forces from {{ ref('dim_force') }}

),

per_period as (

    select
        {{ grain_columns | join(', ') }},
        count(distinct force_id) as forces_present
    from {{ model }}
    group by {{ grain_columns | join(', ') }}

)

select per_period.*
from per_period
cross join expected
where per_period.forces_present <> expected.expected_forces

{% endtest %}
