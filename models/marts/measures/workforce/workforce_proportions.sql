-- PPF Workforce monitoring: workforce proportions (% of FTE) by force and snapshot date.
-- Breakdowns: worker_type (% of all workforce), sex (% of all workforce), rank (% of police
-- officers), wider_function (% of all workforce in the functions table), ethnicity (% of those
-- whose ethnicity is stated, as the Home Office publishes it) and ethnicity_not_stated (% of all).
with

workforce as (

    select * from {{ ref('stg_home_office_workforce__workforce') }}
    where is_latest_vintage and reporting_body = 'police_force_area'

),

worker_types as (

    select * from {{ ref('int_home_office_workforce__worker_type_fte') }}

),

functions as (

    select * from {{ ref('int_home_office_workforce__function_fte') }}

),

all_workforce as (

    select
        force_id,
        as_at,
        case when bool_and(status = 'ok') then sum(fte) end as fte,
        max(source_release) as source_release
    from worker_types
    group by force_id, as_at

),

officers as (

    select
        force_id,
        as_at,
        fte
    from worker_types
    where worker_type = 'Police Officer'

),

function_totals as (

    select
        force_id,
        as_at,
        case when bool_and(status = 'ok') then sum(fte) end as fte,
        case when bool_and(status = 'ok') then sum(fte) filter (where ethnicity_5_plus_1 <> 'Not stated') end
            as stated_fte,
        max(source_release) as source_release
    from functions
    group by force_id, as_at

),

parts as (

    select
        force_id,
        as_at,
        'worker_type' as breakdown,
        worker_type as breakdown_value,
        fte,
        source_release
    from worker_types

    union all

    select
        force_id,
        as_at,
        'sex' as breakdown,
        sex as breakdown_value,
        case when count(fte) = count(*) then sum(fte) end as fte,
        max(source_release) as source_release
    from workforce
    where lower(worker_type) in (select lower(unnest({{ var('workforce_worker_types') }})))
    group by force_id, as_at, sex

    union all

    select
        force_id,
        as_at,
        'rank' as breakdown,
        rank as breakdown_value,
        case when count(fte) = count(*) then sum(fte) end as fte,
        max(source_release) as source_release
    from workforce
    where lower(worker_type) = 'police officer'
    group by force_id, as_at, rank

    union all

    select
        force_id,
        as_at,
        'wider_function' as breakdown,
        wider_function as breakdown_value,
        case when bool_and(status = 'ok') then sum(fte) end as fte,
        max(source_release) as source_release
    from functions
    group by force_id, as_at, wider_function

    union all

    select
        force_id,
        as_at,
        case when ethnicity_5_plus_1 = 'Not stated' then 'ethnicity_not_stated' else 'ethnicity' end as breakdown,
        ethnicity_5_plus_1 as breakdown_value,
        case when bool_and(status = 'ok') then sum(fte) end as fte,
        max(source_release) as source_release
    from functions
    group by force_id, as_at, ethnicity_5_plus_1

),

with_bases as (

    select
        parts.force_id,
        parts.as_at as period_date,
        parts.breakdown,
        parts.breakdown_value,
        parts.fte as part_fte,
        case
            when parts.breakdown in ('worker_type', 'sex') then all_workforce.fte
            when parts.breakdown = 'rank' then officers.fte
            when parts.breakdown = 'ethnicity' then function_totals.stated_fte
            else function_totals.fte
        end as base_fte,
        parts.source_release
    from parts
    left join all_workforce
        on parts.force_id = all_workforce.force_id and parts.as_at = all_workforce.as_at
    left join officers
        on parts.force_id = officers.force_id and parts.as_at = officers.as_at
    left join function_totals
        on parts.force_id = function_totals.force_id and parts.as_at = function_totals.as_at

),

cells as (

    select
        force_id,
        period_date,
        breakdown,
        breakdown_value,
        {{ workforce_share('part_fte', 'base_fte') }},
        source_release
    from with_bases

),

force_rows as (

    {{ workforce_force_rows(
        'cells', 'percent', 'Home Office police workforce open data tables (workforce; functions)',
        zero_when_absent=true,
    ) }}

),

{{ measure_with_england_and_wales('workforce_proportions') }}
