-- PPF Workforce monitoring: workforce FTE per 1,000 residents, by force and snapshot date: all
-- workforce, police officers and police staff. Population: the latest ONS mid-year estimate at or
-- before the snapshot date (macros/population_for_periods.sql); source_release names the vintage.
with

worker_types as (

    select * from {{ ref('int_home_office_workforce__worker_type_fte') }}

),

groups as (

    select
        force_id,
        as_at,
        worker_type as breakdown_value,
        fte,
        status,
        status_note,
        source_release
    from worker_types
    where worker_type in ('Police Officer', 'Police Staff')

    union all

    select
        force_id,
        as_at,
        'All workforce' as breakdown_value,
        case when bool_and(status = 'ok') then sum(fte) end as fte,
        case when bool_and(status = 'ok') then 'ok' else 'not_available' end as status,
        string_agg(status_note, '; ') as status_note,
        max(source_release) as source_release
    from worker_types
    group by force_id, as_at

),

periods as (

    select
        *,
        as_at as period_start,
        as_at as period_end
    from groups

),

with_population as (

    {{ population_for_periods('periods') }}

),

cells as (

    select
        force_id,
        as_at as period_date,
        'worker_type' as breakdown,
        breakdown_value,
        case when population > 0 then 1000.0 * fte / population end as value,
        fte as numerator,
        population as denominator,
        case when status = 'ok' and population > 0 then 'ok' else 'not_available' end as status,
        case
            when status <> 'ok' then status_note
            when not coalesce(population > 0, false)
                then coalesce(population_note, 'no population estimate for this force and date')
        end as status_note,
        source_release || '; population ' || coalesce(population_vintage, 'none') as source_release
    from with_population

),

force_rows as (

    {{ workforce_force_rows(
        'cells', 'rate_per_1000', 'Home Office police workforce open data tables; ONS mid-year population',
    ) }}

),

{{ measure_with_england_and_wales('workforce_per_1000_population') }}
