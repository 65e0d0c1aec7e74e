-- PPF Workforce headline: workforce size by function and officer/staff mix, full-time equivalents,
-- by force and snapshot date (31 March, and 30 September where published). Breakdowns: worker_type
-- (the four worker types and all workforce, from the workforce table) and wider_function (every
-- worker type, from the functions table).
with

worker_types as (

    select * from {{ ref('int_home_office_workforce__worker_type_fte') }}

),

functions as (

    select * from {{ ref('int_home_office_workforce__function_fte') }}

),

by_worker_type as (

    select
        force_id,
        as_at as period_date,
        'worker_type' as breakdown,
        worker_type as breakdown_value,
        fte as value,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        status,
        status_note,
        source_release
    from worker_types

),

all_workforce as (

    select
        force_id,
        as_at as period_date,
        'worker_type' as breakdown,
        'All workforce' as breakdown_value,
        case when bool_and(status = 'ok') then sum(fte) end as value,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        case when bool_and(status = 'ok') then 'ok' else 'not_available' end as status,
        string_agg(status_note, '; ') as status_note,
        max(source_release) as source_release
    from worker_types
    group by force_id, as_at

),

by_function as (

    select
        force_id,
        as_at as period_date,
        'wider_function' as breakdown,
        wider_function as breakdown_value,
        case when bool_and(status = 'ok') then sum(fte) end as value,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        case when bool_and(status = 'ok') then 'ok' else 'not_available' end as status,
        string_agg(distinct status_note, '; ') as status_note,
        max(source_release) as source_release
    from functions
    group by force_id, as_at, wider_function

),

cells as (

    select * from by_worker_type
    union all
    select * from all_workforce
    union all
    select * from by_function

),

force_rows as (

    {{ workforce_force_rows(
        'cells', 'fte', 'Home Office police workforce open data tables (workforce; functions)',
        zero_when_absent=true,
    ) }}

),

{{ measure_with_england_and_wales('workforce_by_function_and_officer_staff_mix') }}
