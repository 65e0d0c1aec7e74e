-- PPF Workforce monitoring: the share of police officers (FTE) on recuperative and on adjusted
-- duties as at 31 March, by force (breakdown duty_type). Denominator: all officers in the
-- workforce table at the same date (both from their newest release).
with

limited_duties as (

    select * from {{ ref('stg_home_office_workforce__limited_duties') }}
    where
        is_latest_vintage
        and reporting_body = 'police_force_area'
        and lower(worker_type) = 'police officer'

),

officers as (

    select * from {{ ref('int_home_office_workforce__worker_type_fte') }}
    where worker_type = 'Police Officer'

),

by_duty_type as (

    select
        force_id,
        as_at,
        duty_type,
        case when count(fte) = count(*) then sum(fte) end as fte,
        max(source_release) as source_release
    from limited_duties
    group by force_id, as_at, duty_type

),

cells as (

    select
        by_duty_type.force_id,
        by_duty_type.as_at as period_date,
        'duty_type' as breakdown,
        by_duty_type.duty_type as breakdown_value,
        {{ workforce_share('by_duty_type.fte', 'officers.fte') }},
        by_duty_type.source_release || '; officers ' || officers.source_release as source_release
    from by_duty_type
    inner join officers
        on by_duty_type.force_id = officers.force_id and by_duty_type.as_at = officers.as_at

),

force_rows as (

    {{ workforce_force_rows(
        'cells', 'percent', 'Home Office police workforce open data tables (limited duties; workforce)',
        zero_when_absent=true,
    ) }}

),

{{ measure_with_england_and_wales('officer_limited_duties') }}
