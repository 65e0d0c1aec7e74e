-- PPF Workforce monitoring: unplanned leavers, the share of police officer leavers (FTE) in the
-- financial year who left by voluntary resignation, by force (joiners and leavers table, newest
-- release for each year).
with

officer_leavers as (

    select * from {{ ref('stg_home_office_workforce__joiners_leavers') }}
    where
        is_latest_vintage
        and reporting_body = 'police_force_area'
        and lower(worker_type) = 'police officer'
        and lower(movement) = 'leaver'

),

by_force as (

    select
        force_id,
        year_ending,
        case
            when count(fte) = count(*)
                then coalesce(
                    sum(fte) filter (
                        where lower(leaver_type) = lower('{{ var("voluntary_resignation_leaver_type") }}')
                    ),
                    0
                )
        end as voluntary_resignations,
        case when count(fte) = count(*) then sum(fte) end as leavers,
        max(source_release) as source_release
    from officer_leavers
    group by force_id, year_ending

),

cells as (

    select
        force_id,
        year_ending as period_date,
        'total' as breakdown,
        'all' as breakdown_value,
        {{ workforce_share('voluntary_resignations', 'leavers') }},
        source_release
    from by_force

),

force_rows as (

    {{ workforce_force_rows(
        'cells', 'percent', 'Home Office police workforce open data tables (joiners and leavers)',
        period='year_ending_march',
    ) }}

),

{{ measure_with_england_and_wales('officer_unplanned_leavers') }}
