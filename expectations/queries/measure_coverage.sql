-- One row per measure table x period (x period type): how many of the 43 forces and England and Wales
-- it has rows for, how many it should have, and which are missing. A measure is force-level when any of
-- its rows is for a force; then every period must have all 44. A measure the catalogue says is loaded
-- but whose table is empty is one row with 0 present (never silently empty). validate.py fills in the
-- measure tables.
with

measure_rows as (

    {measure_tables}

),

forces as (

    select force_id, force_name from core.dim_force

),

periods as (

    select distinct
        measure_id,
        period_start,
        period_type,
        period_label
    from measure_rows

),

force_level as (

    select
        measure_id,
        bool_or(force_id <> 'K04000001') as is_force_level
    from measure_rows
    group by measure_id

),

present as (

    select distinct
        measure_id,
        period_start,
        period_type,
        force_id
    from measure_rows

),

expected as (

    select
        periods.*,
        forces.force_id,
        forces.force_name
    from periods
    inner join force_level on periods.measure_id = force_level.measure_id
    inner join forces on force_level.is_force_level or forces.force_id = 'K04000001'

),

empty_loaded_measures as (

    select
        catalogue.measure_id,
        cast(null as date) as period_start,
        cast(null as varchar) as period_type,
        'no rows' as period_label,
        0 as forces_present,
        1 as forces_expected,
        'every force: the table is empty although its source is loaded' as missing_forces
    from core.dim_measure as catalogue
    where
        catalogue.source_status = 'loaded'
        -- among the measure tables read here (validate.py reads one table at a time); a table missing
        -- altogether fails the table_schemas suite
        and catalogue.measure_id in ({measure_table_names})
        and catalogue.measure_id not in (select distinct measure_rows.measure_id from measure_rows)

)

select
    expected.measure_id,
    expected.period_start,
    expected.period_type,
    expected.period_label,
    count(present.force_id) as forces_present,
    count(*) as forces_expected,
    string_agg(
        case when present.force_id is null then expected.force_id || ' ' || expected.force_name end,
        '; ' order by expected.force_id
    ) as missing_forces
from expected
left join present
    on
        expected.measure_id = present.measure_id
        and expected.period_start = present.period_start
        and expected.period_type = present.period_type
        and expected.force_id = present.force_id
group by all
union all
select * from empty_loaded_measures
