-- PPF Contact and response headline: % of 999 calls answered within 10 seconds (target 90%), by force
-- and month, from police.uk's call-answering data (answered under 10 seconds / all answered calls).
with

force_months as (

    select * from {{ ref('int_police_uk_calls__force_months') }}

),

with_answered as (

    select
        *,
        case when calls_999_answered > 0 then answered_under_10_seconds end as within_10_seconds
    from force_months

),

force_rows as (

    select
        force_id,
        {{ month_period() }},
        'total' as breakdown,
        'all' as breakdown_value,
        100.0 * within_10_seconds / calls_999_answered as value,
        'percent' as unit,
        within_10_seconds as numerator,
        case when within_10_seconds is not null then calls_999_answered end as denominator,
        {{ call_answering_status('within_10_seconds', 'bands_status') }},
        'police.uk 999 call answering data' as source,
        source_release
    from with_answered

),

{{ measure_with_england_and_wales('calls_999_answered_within_10_seconds') }}
