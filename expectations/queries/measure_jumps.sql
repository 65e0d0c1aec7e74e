-- One row per measure series (measure x force x breakdown x unit) whose newest published value (status
-- ok) has an earlier one: the change between them, for the gate to flag jumps beyond a documented bound
-- for review (a flag, not a failure: real changes happen). The newest value is what a release adds;
-- earlier ones were reviewed with earlier releases. Small counts (both under 50) swing by chance and are
-- left out, as are changes and progress toward a target. validate.py fills in the measure tables.
with

measure_rows as (

    {measure_tables}

),

published as (

    select
        measure_id,
        force_id,
        force_name,
        period_type,
        period_start,
        period_label,
        breakdown,
        breakdown_value,
        unit,
        value,
        lag(value) over series_order as previous_value,
        lag(period_label) over series_order as previous_period_label,
        row_number() over (
            partition by measure_id, force_id, period_type, breakdown, breakdown_value, unit
            order by period_start desc
        ) as newest_first
    from measure_rows
    where
        status = 'ok'
        and value is not null
        and breakdown not in ('change_from_baseline', 'progress_to_target')
    window series_order as (
        partition by measure_id, force_id, period_type, breakdown, breakdown_value, unit
        order by period_start
    )

)

select
    * exclude (newest_first),
    case
        when unit = 'percent' then abs(value - previous_value)
        when previous_value > 0 then abs(value - previous_value) / previous_value
    end as jump
from published
where
    newest_first = 1
    and previous_value is not null
    and (unit <> 'count' or greatest(value, previous_value) >= 50)
order by jump desc nulls last
