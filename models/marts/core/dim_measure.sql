-- One row per catalogue measure: the catalogue (seeds/framework_measures.csv) and what the warehouse
-- holds for it: whether its table exists, how many forces and periods have values, the latest period.
with

catalogue as (

    select * from {{ ref('framework_measures') }}

),

measure_values as (

    select * from {{ ref('fct_measure_values') }}

),

measure_tables as (

    select table_name as measure_id
    from information_schema.tables
    where table_catalog = current_database() and table_schema = 'measures'

),

coverage as (

    select
        measure_id,
        count(*) as row_count,
        count(value) as value_count,
        count(distinct force_id) filter (where value is not null) as forces_with_values,
        count(distinct period_type || cast(period_start as varchar)) filter (where value is not null)
            as periods_with_values,
        max(period_end) filter (where value is not null) as latest_period_end,
        arg_max(period_label, period_end) filter (where value is not null) as latest_period_label
    from measure_values
    group by measure_id

),

final as (

    select
        catalogue.*,
        measure_tables.measure_id is not null as has_table,
        coalesce(coverage.row_count, 0) as row_count,
        coalesce(coverage.value_count, 0) as value_count,
        coalesce(coverage.forces_with_values, 0) as forces_with_values,
        coalesce(coverage.periods_with_values, 0) as periods_with_values,
        coverage.latest_period_end,
        coverage.latest_period_label,
        case
            when measure_tables.measure_id is null then 'no table'
            when coalesce(coverage.value_count, 0) > 0 then 'computed'
            when catalogue.source_status = 'loaded' then 'loaded, no values yet'
            else catalogue.source_status
        end as coverage_status
    from catalogue
    left join measure_tables
        on catalogue.measure_id = measure_tables.measure_id
    left join coverage
        on catalogue.measure_id = coverage.measure_id

)

select * from final
