-- One row per police.uk dataset x force x month: the published_files record next to what the
-- loaded rows of that file actually hold. Aggregated in DuckDB so GX never reads millions of rows:
-- {police_uk_row_counts} holds raw_police_uk_row_counts.sql's counts per force-month and load.
with

files as (

    select * from raw_police_uk.published_files

),

loaded_rows as (

    select
        dataset,
        force_slug,
        file_month,
        cast(sum(rows_loaded) as bigint) as rows_loaded,
        cast(sum(rows_without_key_field) as bigint) as rows_without_key_field,
        cast(sum(asb_rows_with_crime_id) as bigint) as asb_rows_with_crime_id,
        cast(sum(crime_rows_without_crime_id) as bigint) as crime_rows_without_crime_id,
        cast(sum(rows_with_unknown_code) as bigint) as rows_with_unknown_code,
        cast(sum(rows_for_other_month) as bigint) as rows_for_other_month,
        cast(sum(rows_without_location) as bigint) as rows_without_location,
        cast(sum(rows_outside_great_britain) as bigint) as rows_outside_great_britain
    from {police_uk_row_counts}
    group by dataset, force_slug, file_month

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
