-- One row per workforce dataset x release x snapshot date (or year ending): which forces the rows
-- cover and the counts that would betray a parsing or publication problem. Aggregated in DuckDB first.
with

force_names as (

    select
        lower(trim(name_variant)) as name_key,
        force_id
    from reference.force_name_variants
    where force_id <> 'K04000001'

),

cells as (

    select 'workforce' as dataset, release_date, as_at as period_date, force_name, headcount, fte, fte_marker
    from raw_home_office_workforce.workforce
    union all
    select 'functions', release_date, as_at, force_name, null, fte, fte_marker
    from raw_home_office_workforce.functions
    union all
    select 'absence', release_date, as_at, force_name, headcount, fte, fte_marker
    from raw_home_office_workforce.absence
    union all
    select 'limited_duties', release_date, as_at, force_name, headcount, fte, fte_marker
    from raw_home_office_workforce.limited_duties
    union all
    select 'joiners_leavers', release_date, year_ending, force_name, headcount, fte, fte_marker
    from raw_home_office_workforce.joiners_leavers

),

final as (

    select
        cells.dataset,
        cells.release_date,
        cells.period_date,
        count(*) as rows_loaded,
        count(distinct force_names.force_id) as forces_present,
        count(*) filter (
            where force_names.force_id is null and lower(trim(cells.force_name)) <> 'british transport police'
        ) as rows_with_unknown_force,
        count(*) filter (where cells.fte < 0) as negative_fte_rows,
        count(*) filter (where cells.headcount < cells.fte) as headcount_below_fte_rows,
        count(*) filter (where cells.fte is null and cells.fte_marker is null) as fte_without_value_or_marker
    from cells
    left join force_names
        on lower(trim(cells.force_name)) = force_names.name_key
    group by cells.dataset, cells.release_date, cells.period_date

)

select * from final
