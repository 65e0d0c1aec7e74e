-- PPF Workforce monitoring: the share of police officers (FTE) on long-term sick leave (absent more
-- than 28 calendar days) as at 31 March, by force. Numerator: the absence table; denominator: all
-- officers in the workforce table at the same date (both from their newest release).
with

absence as (

    select * from {{ ref('stg_home_office_workforce__absence') }}
    where
        is_latest_vintage
        and reporting_body = 'police_force_area'
        and lower(worker_type) = 'police officer'
        and lower(absence_type) = lower('{{ var("long_term_sick_absence_type") }}')

),

officers as (

    select * from {{ ref('int_home_office_workforce__worker_type_fte') }}
    where worker_type = 'Police Officer'

),

long_term_sick as (

    select
        force_id,
        as_at,
        case when count(fte) = count(*) then sum(fte) end as fte,
        max(source_release) as source_release
    from absence
    group by force_id, as_at

),

cells as (

    select
        long_term_sick.force_id,
        long_term_sick.as_at as period_date,
        'total' as breakdown,
        'all' as breakdown_value,
        {{ workforce_share('long_term_sick.fte', 'officers.fte') }},
        long_term_sick.source_release || '; officers ' || officers.source_release as source_release
    from long_term_sick
    inner join officers
        on long_term_sick.force_id = officers.force_id and long_term_sick.as_at = officers.as_at

),

force_rows as (

    {{ workforce_force_rows('cells', 'percent', 'Home Office police workforce open data tables (absence; workforce)') }}

),

{{ measure_with_england_and_wales('officer_long_term_sickness') }}
