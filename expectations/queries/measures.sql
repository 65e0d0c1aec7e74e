-- The measure tables checked in DuckDB, then validated by GX: one row per measure table x force x period
-- (x period type), with the number of its rows (breakdowns x units) that break each rule of the measure
-- contract, and the offending rows spelled out. Aggregating first keeps the gate fast (about 15,000
-- rows on the sample instead of a million) while a failure still names the table, force and period.
-- validate.py fills in the union of measure tables.
with

measure_rows as (

    {measure_tables}

),

checked as (

    select
        measure_rows.*,
        catalogue.measure_id is not null as is_in_catalogue,
        forces.force_id is not null as is_known_force,
        measure_rows.breakdown not in ('change_from_baseline', 'progress_to_target') as is_level,
        case
            when measure_rows.unit = 'rate_per_1000' and measure_rows.value is not null
                then abs(measure_rows.value - 1000.0 * measure_rows.numerator / measure_rows.denominator)
        end as rate_error
    from measure_rows
    left join reference.framework_measures as catalogue
        on measure_rows.measure_id = catalogue.measure_id
    left join core.dim_force as forces
        on measure_rows.force_id = forces.force_id

),

flagged as (

    select
        *,
        count(*) over (
            partition by measure_id, force_id, period_type, period_start, breakdown, breakdown_value, unit
        ) > 1 as is_duplicate_key,
        coalesce(status not in ('ok', 'not_available', 'suppressed', 'incomplete', 'excluded', 'break_in_series'),
                 true) as is_unknown_status,
        coalesce(unit not in ('count', 'rate_per_1000', 'percent', 'seconds', 'days', 'fte'), true)
            as is_unknown_unit,
        coalesce(desired_direction not in ('increase', 'decrease', 'monitor', 'target'), true)
            as is_unknown_direction,
        status = 'ok' and value is null as is_ok_without_value,
        -- a gap is null, never zero (England and Wales keeps partial totals, marked incomplete)
        status not in ('ok', 'break_in_series') and force_id <> 'K04000001' and value is not null
            as is_gap_with_value,
        status <> 'ok' and status_note is null as is_gap_without_note,
        -- counts, rates and shares are never negative; a change (and progress made of one) can be
        is_level and value < 0 as is_negative,
        is_level and unit = 'percent' and value > 100 as is_proportion_over_100,
        rate_error > 1e-9 as is_rate_inconsistent,
        value < ci_lower or value > ci_upper as is_outside_interval,
        period_end < period_start as is_period_reversed,
        source is null or source_release is null as is_without_source
    from checked

),

final as (

    select
        measure_id,
        force_id,
        any_value(force_name) as force_name,
        period_type,
        period_start,
        any_value(period_label) as period_label,
        count(*) as row_count,
        count(*) filter (where is_duplicate_key) as duplicate_keys,
        count(*) filter (where not is_in_catalogue) as rows_not_in_catalogue,
        count(*) filter (where not is_known_force) as rows_with_unknown_force,
        count(*) filter (where is_unknown_status) as rows_with_unknown_status,
        count(*) filter (where is_unknown_unit) as rows_with_unknown_unit,
        count(*) filter (where is_unknown_direction) as rows_with_unknown_direction,
        count(*) filter (where is_ok_without_value) as ok_rows_without_value,
        count(*) filter (where is_gap_with_value) as gap_rows_with_value,
        count(*) filter (where is_gap_without_note) as gap_rows_without_note,
        count(*) filter (where is_negative) as negative_values,
        count(*) filter (where is_proportion_over_100) as proportions_over_100,
        count(*) filter (where is_rate_inconsistent) as rates_not_numerator_over_denominator,
        count(*) filter (where is_outside_interval) as estimates_outside_interval,
        count(*) filter (where is_period_reversed) as periods_ending_before_start,
        count(*) filter (where is_without_source) as rows_without_source,
        left(string_agg(
            case
                when is_duplicate_key or is_unknown_status or is_unknown_unit or is_unknown_direction
                    or is_ok_without_value or is_gap_with_value or is_gap_without_note or is_negative
                    or is_proportion_over_100 or is_rate_inconsistent or is_outside_interval
                    or is_period_reversed or is_without_source
                    then breakdown_value || ' ' || unit || ' ' || coalesce(status, 'no status') || ' '
                    || coalesce(cast(round(value, 4) as varchar), 'null')
            end,
            '; ' order by breakdown, breakdown_value, unit
        ), 300) as offending_rows
    from flagged
    group by measure_id, force_id, period_type, period_start

)

select * from final
