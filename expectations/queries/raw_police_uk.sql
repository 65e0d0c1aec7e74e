-- One row per police.uk dataset x force x month: the published_files record next to what the
-- loaded rows of that file actually hold. Aggregated in DuckDB so GX never reads millions of rows.
with

files as (

    select * from raw_police_uk.published_files

),

street as (

    select
        'street' as dataset,
        force_slug,
        file_month,
        count(*) as rows_loaded,
        count(*) filter (where crime_type is null) as rows_without_key_field,
        count(*) filter (where crime_type = 'Anti-social behaviour' and crime_id is not null) as asb_rows_with_crime_id,
        count(*) filter (
            where crime_type <> 'Anti-social behaviour' and crime_id is null and force_slug <> 'btp'
        ) as crime_rows_without_crime_id,
        count(*) filter (where crime_type not in (select crime_type from reference.police_uk_crime_types))
            as rows_with_unknown_code,
        count(*) filter (where month is distinct from file_month) as rows_for_other_month,
        count(*) filter (where longitude is null) as rows_without_location,
        count(*) filter (
            where longitude not between -8.7 and 1.8 or latitude not between 49.8 and 60.9
        ) as rows_outside_great_britain
    from raw_police_uk.street
    group by force_slug, file_month

),

outcomes as (

    select
        'outcomes' as dataset,
        force_slug,
        file_month,
        count(*) as rows_loaded,
        count(*) filter (where outcome_type is null or crime_id is null) as rows_without_key_field,
        0 as asb_rows_with_crime_id,
        0 as crime_rows_without_crime_id,
        0 as rows_with_unknown_code,
        count(*) filter (where month is distinct from file_month) as rows_for_other_month,
        count(*) filter (where longitude is null) as rows_without_location,
        count(*) filter (
            where longitude not between -8.7 and 1.8 or latitude not between 49.8 and 60.9
        ) as rows_outside_great_britain
    from raw_police_uk.outcomes
    group by force_slug, file_month

),

stop_and_search as (

    select
        'stop_and_search' as dataset,
        force_slug,
        file_month,
        count(*) as rows_loaded,
        count(*) filter (where type is null or date is null) as rows_without_key_field,
        0 as asb_rows_with_crime_id,
        0 as crime_rows_without_crime_id,
        count(*) filter (
            where type not in ('Person search', 'Person and Vehicle search', 'Vehicle search')
        ) as rows_with_unknown_code,
        -- a search just after midnight can fall in the previous month in UTC: not checked here
        0 as rows_for_other_month,
        count(*) filter (where longitude is null) as rows_without_location,
        count(*) filter (
            where longitude not between -8.7 and 1.8 or latitude not between 49.8 and 60.9
        ) as rows_outside_great_britain
    from raw_police_uk.stop_and_search
    group by force_slug, file_month

),

loaded_rows as (

    select * from street
    union all
    select * from outcomes
    union all
    select * from stop_and_search

)

select
    coalesce(files.dataset, loaded_rows.dataset) as dataset,
    coalesce(files.force_slug, loaded_rows.force_slug) as force_slug,
    coalesce(files.file_month, loaded_rows.file_month) as file_month,
    files.status,
    files.row_count,
    files.file_sha256,
    files.archive_release,
    coalesce(loaded_rows.rows_loaded, 0) as rows_loaded,
    coalesce(loaded_rows.rows_without_key_field, 0) as rows_without_key_field,
    coalesce(loaded_rows.asb_rows_with_crime_id, 0) as asb_rows_with_crime_id,
    coalesce(loaded_rows.crime_rows_without_crime_id, 0) as crime_rows_without_crime_id,
    coalesce(loaded_rows.rows_with_unknown_code, 0) as rows_with_unknown_code,
    coalesce(loaded_rows.rows_for_other_month, 0) as rows_for_other_month,
    coalesce(loaded_rows.rows_outside_great_britain, 0) as rows_outside_great_britain,
    coalesce(loaded_rows.rows_without_location, 0) / greatest(loaded_rows.rows_loaded, 1) as share_without_location,
    exists (
        select 1 from reference.police_uk_known_gaps as gaps
        where
            gaps.police_uk_slug = coalesce(files.force_slug, loaded_rows.force_slug)
            and gaps.dataset in ('all', coalesce(files.dataset, loaded_rows.dataset))
            and coalesce(files.file_month, loaded_rows.file_month) >= gaps.month_from
            and coalesce(files.file_month, loaded_rows.file_month) <= coalesce(gaps.month_to, '9999-12')
    ) as is_known_gap
from files
full outer join loaded_rows
    on
        files.dataset = loaded_rows.dataset
        and files.force_slug = loaded_rows.force_slug
        and files.file_month = loaded_rows.file_month
