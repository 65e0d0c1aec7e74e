-- In every measure built from force counts, the England and Wales count equals the sum of the force
-- rows whose status is ok, period by period and breakdown by breakdown.
with

measure_rows as (

    select * from {{ ref('police_recorded_asb_incidents') }}
    union all
    select * from {{ ref('town_centre_crime_police_uk') }}

),

force_sums as (

    select
        measure_id,
        period_start,
        breakdown_value,
        sum(value) filter (where status = 'ok') as summed
    from measure_rows
    where unit = 'count' and force_id <> 'K04000001'
    group by measure_id, period_start, breakdown_value

),

national as (

    select
        measure_id,
        period_start,
        breakdown_value,
        value
    from measure_rows
    where unit = 'count' and force_id = 'K04000001'

),

final as (

    select
        national.*,
        force_sums.summed
    from national
    inner join force_sums
        on
            national.measure_id = force_sums.measure_id
            and national.period_start = force_sums.period_start
            and national.breakdown_value = force_sums.breakdown_value
    where national.value is distinct from force_sums.summed

)

select * from final
