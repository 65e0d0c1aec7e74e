-- One row per month of police.uk call-answering data: how many force areas the month's file covers, the
-- counts that would betray a parsing or publication problem, and the forces whose rows show one (to name
-- them when the gate fails). Aggregated in DuckDB first.
with

force_names as (

    select
        lower(trim(name_variant)) as name_key,
        force_id
    from reference.force_name_variants
    where force_id <> 'K04000001'

),

checked as (

    select
        calls.*,
        force_names.force_id,
        least(
            calls.answered_under_10_seconds, calls.answered_10_to_60_seconds, calls.answered_60_seconds_or_more,
            calls.total_calls, calls.calls_101, calls.average_answer_seconds, calls.average_101_answer_seconds
        ) < 0 as has_negative_value,
        calls.total_calls
        < calls.answered_under_10_seconds + calls.answered_10_to_60_seconds + calls.answered_60_seconds_or_more
            as has_total_below_answered,
        calls.answered_under_10_seconds is null and calls.answered_under_10_seconds_marker is null
            as has_bands_without_value_or_marker
    from raw_police_uk_calls.call_answering as calls
    left join force_names
        on lower(trim(calls.force_name)) = force_names.name_key

)

select
    month_start,
    count(*) as rows_loaded,
    count(distinct force_id) as forces_present,
    count(*) filter (where has_negative_value) as rows_with_negative_values,
    count(*) filter (where has_total_below_answered) as rows_with_total_below_answered,
    count(*) filter (where has_bands_without_value_or_marker) as bands_without_value_or_marker,
    string_agg(
        case
            when has_negative_value or has_total_below_answered or has_bands_without_value_or_marker
                then force_name
        end,
        '; ' order by force_name
    ) as offending_forces
from checked
group by month_start
