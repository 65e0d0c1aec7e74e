-- In every measure published as a count, the England and Wales value equals the sum of the force rows
-- whose value is usable (status ok, or break_in_series: a change affecting every force alike),
-- period by period and breakdown by breakdown. Computed from fct_measure_values, independently of the
-- macro that builds the national rows.
with

measure_rows as (

    select * from {{ ref('fct_measure_values') }}
    where unit = 'count'

),

force_sums as (

    select
        measure_id,
        period_type,
        period_start,
        breakdown,
        breakdown_value,
        sum(value) filter (where status in ('ok', 'break_in_series')) as summed
    from measure_rows
    where force_id <> 'K04000001'
    group by measure_id, period_type, period_start, breakdown, breakdown_value

),

national as (

    select
        measure_id,
        period_type,
        period_start,
        breakdown,
        breakdown_value,
        value
    from measure_rows
    where force_id = 'K04000001'

),

final as (

    select
        national.*,
        force_sums.summed
    from national
    inner join force_sums
        on
            national.measure_id = force_sums.measure_id
            and national.period_type = force_sums.period_type
            and national.period_start = force_sums.period_start
            and national.breakdown = force_sums.breakdown
            and national.breakdown_value = force_sums.breakdown_value
    where national.value is distinct from force_sums.summed

)

select * from final
