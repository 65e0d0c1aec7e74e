-- Resident population of each force area by mid-year estimate and by the publication that carried it.
-- Grain: one row per force x mid-year reference date x source edition. Sources: the population columns
-- of the ONS police force area data tables (each edition names its vintage, e.g. 'mid-2018'), and the
-- force_population seed (mid-2018, from the real pfatablesdec19.xlsx) so that a warehouse without the
-- ONS files still has one vintage.
with

ons_tables as (

    select * from {{ ref('stg_ons__pfa_table_values') }}
    where
        unit = 'population'
        and area_type = 'police_force_area'
        and population_vintage is not null

),

seed as (

    select * from {{ ref('force_population') }}

),

from_ons as (

    select
        area_code as force_id,
        make_date(cast(regexp_extract(population_vintage, '(\d{4})', 1) as integer), 6, 30) as reference_date,
        population_vintage,
        value as population,
        status,
        status_note,
        period_start as ons_period_start,
        period_end as ons_period_end,
        'ONS police force area data tables, ' || edition_label as source,
        source_release
    from ons_tables

),

from_seed as (

    select
        force_id,
        population_reference_date as reference_date,
        population_vintage,
        cast(population as double) as population,
        status,
        status_note,
        cast(null as date) as ons_period_start,
        cast(null as date) as ons_period_end,
        source,
        source_release
    from seed

),

final as (

    select * from from_ons
    union all
    select * from from_seed

)

select * from final
