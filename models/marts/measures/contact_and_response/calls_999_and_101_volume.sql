-- PPF Contact and response: volume of 999 and 101 calls, by force and month (breakdown call_type).
with

force_months as (

    select * from {{ ref('int_police_uk_calls__force_months') }}

),

force_rows as (

    select
        force_id,
        {{ month_period() }},
        'call_type' as breakdown,
        '999' as breakdown_value,
        calls_999 as value,
        'count' as unit,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        {{ call_answering_status('calls_999', 'bands_status') }},
        'police.uk 999 call answering data' as source,
        source_release
    from force_months

    union all

    select
        force_id,
        {{ month_period() }},
        'call_type' as breakdown,
        '101' as breakdown_value,
        calls_101 as value,
        'count' as unit,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        {{ call_answering_status('calls_101', 'calls_101_status') }},
        'police.uk 101 call answering data' as source,
        source_release
    from force_months

),

{{ measure_with_england_and_wales('calls_999_and_101_volume') }}
