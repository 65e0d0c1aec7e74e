-- PPF Contact and response: 101 answer time, by force and month, where a force publishes it
-- (average wait time to answer, seconds; the median is not published, so its rows are
-- not_available). England and Wales is the call-weighted average of the forces that publish it.
with

force_months as (

    select * from {{ ref('int_police_uk_calls__force_months') }}

),

with_calls as (

    select
        *,
        case when calls_101 > 0 then average_101_answer_seconds end as average_101
    from force_months

),

force_rows as (

    {{ call_answering_average_rows(
        'with_calls', 'average_101', 'calls_101', 'average_101_status',
        'police.uk 101 call answering data (average wait time to answer)'
    ) }}

    union all

    {{ call_answering_median_not_published('force_months', '101') }}

),

{{ measure_with_england_and_wales('calls_101_median_answer_time') }}
