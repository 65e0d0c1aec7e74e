-- One row per month of police.uk call-answering data: how many force areas the month's file covers and
-- the counts that would betray a parsing or publication problem. Aggregated in DuckDB first.
with

force_names as (

    select
        lower(trim(name_variant)) as name_key,
        force_id
    from reference.force_name_variants
    where force_id <> 'K04000001'

)

select
    calls.month_start,
    count(*) as rows_loaded,
    count(distinct force_names.force_id) as forces_present,
    count(*) filter (
        where least(
            calls.answered_under_10_seconds, calls.answered_10_to_60_seconds, calls.answered_60_seconds_or_more,
            calls.total_calls, calls.calls_101, calls.average_answer_seconds, calls.average_101_answer_seconds
        ) < 0
    ) as rows_with_negative_values,
    count(*) filter (
        where calls.total_calls
        < calls.answered_under_10_seconds + calls.answered_10_to_60_seconds + calls.answered_60_seconds_or_more
    ) as rows_with_total_below_answered,
    count(*) filter (
        where calls.answered_under_10_seconds is null and calls.answered_under_10_seconds_marker is null
    ) as bands_without_value_or_marker
from raw_police_uk_calls.call_answering as calls
left join force_names
    on lower(trim(calls.force_name)) = force_names.name_key
group by calls.month_start
