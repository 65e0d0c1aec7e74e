-- PPF Contact and response: 999 answer time, by force and month. The published data give the
-- average answer time only (breakdown statistic = average, in seconds); the median the framework
-- names is not published, so its rows are not_available. England and Wales is the call-weighted
-- average of the forces.
with

force_months as (

    select * from {{ ref('int_police_uk_calls__force_months') }}

),

force_rows as (

    {{ call_answering_average_rows(
        'force_months', 'average_answer_seconds', 'calls_999_answered', 'average_status',
        'police.uk 999 call answering data (average answer time)'
    ) }}

    union all

    {{ call_answering_median_not_published('force_months', '999') }}

),

{{ measure_with_england_and_wales('calls_999_median_answer_time') }}
