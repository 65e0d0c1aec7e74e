{#-
    Every period (and breakdown and unit) of a measure published by police force area must have a
    row for each of the 43 force areas and for England and Wales: a gap is a row with a status, never
    an absent row. Measures the catalogue publishes only nationally (CSEW estimates) or for some
    forces (County Lines Programme forces) are not held to the grid. Fails with one row per
    incomplete period.
-#}
{% test complete_force_grid(model, grain_columns) %}
-- depends_on: {{ ref('framework_measures') }}

with

expected as (

    select count(*) as expected_forces from {{ ref('dim_force') }}

),

force_level_measures as (

    select measure_id
    from {{ ref('framework_measures') }}
    where
        geographic_level ilike '%police force area%'
        or geographic_level ilike 'neighbourhood area%'

),

per_period as (

    select
        {{ grain_columns | join(', ') }},
        count(distinct force_id) as forces_present
    from {{ model }}
    where measure_id in (select force_level_measures.measure_id from force_level_measures)
    group by {{ grain_columns | join(', ') }}

)

select per_period.*
from per_period
cross join expected
where per_period.forces_present <> expected.expected_forces

{% endtest %}
