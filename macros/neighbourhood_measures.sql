{#-
    The body of an NPG community measure over the neighbourhoods the data.police.uk API lists: the %
    of a force's neighbourhoods for which `flag` (a boolean column of
    intermediate.int_police_uk_api__neighbourhoods) is true, as at the latest fetch. Every force area
    has a row: a force whose neighbourhoods the API does not list is not_available, never 0%.
    England and Wales is recomputed from the summed neighbourhoods.
-#}
{% macro neighbourhood_share_measure(measure_id, flag) %}
with

neighbourhoods as (

    select * from {{ ref('int_police_uk_api__neighbourhoods') }}

),

snapshot as (

    select cast(max(fetched_at) as date) as as_at
    from neighbourhoods
    having count(*) > 0

),

by_force as (

    select
        force_id,
        count(*) as neighbourhoods,
        count(*) filter (where {{ flag }}) as neighbourhoods_with_flag,
        cast(max(fetched_at) as date) as fetched_on
    from neighbourhoods
    group by force_id

),

force_rows as (

    select
        forces.force_id,
        {{ snapshot_period('snapshot.as_at') }},
        'total' as breakdown,
        'all' as breakdown_value,
        100.0 * by_force.neighbourhoods_with_flag / by_force.neighbourhoods as value,
        'percent' as unit,
        cast(by_force.neighbourhoods_with_flag as double) as numerator,
        cast(by_force.neighbourhoods as double) as denominator,
        case when by_force.neighbourhoods > 0 then 'ok' else 'not_available' end as status,
        case
            when by_force.force_id is null then 'the data.police.uk API lists no neighbourhoods for this force'
        end as status_note,
        'data.police.uk API (neighbourhoods, /people, /priorities)' as source,
        'data.police.uk API, fetched '
        || coalesce(cast(by_force.fetched_on as varchar), cast(snapshot.as_at as varchar)) as source_release
    from {{ ref('police_force_areas') }} as forces
    cross join snapshot
    left join by_force
        on forces.force_id = by_force.force_id

),

{{ measure_with_england_and_wales(measure_id) }}
{% endmacro %}
