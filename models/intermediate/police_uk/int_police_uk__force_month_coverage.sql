-- One row per force area x police.uk dataset x month covered by a loaded archive: was the file
-- published, and can its counts be used? Missing files stay rows (not_available), never zeros.
with

forces as (

    select * from {{ ref('police_force_areas') }}

),

published_files as (

    select * from {{ ref('stg_police_uk__published_files') }}

),

covered_months as (

    select distinct
        dataset,
        file_month
    from published_files

),

force_month_spine as (

    select
        forces.force_id,
        forces.police_uk_slug,
        covered_months.dataset,
        covered_months.file_month
    from forces
    cross join covered_months

),

matched_gaps as (

    {{ police_uk_known_gap_notes('force_month_spine', 'police_uk_slug', 'dataset', 'file_month') }}

),

final as (

    select
        force_month_spine.force_id,
        force_month_spine.police_uk_slug,
        force_month_spine.dataset,
        force_month_spine.file_month,
        published_files.file_status,
        published_files.row_count,
        published_files.source_file,
        published_files.archive_release,
        published_files.recorded_at as file_recorded_at,
        case
            when published_files.file_status = 'loaded' and matched_gaps.gap_note is null then 'ok'
            when published_files.file_status = 'loaded' then 'incomplete'
            else 'not_available'
        end as status,
        case
            when published_files.file_status = 'loaded' and matched_gaps.gap_note is not null
                then 'file published inside a known gap: ' || matched_gaps.gap_note
            when published_files.file_status = 'loaded' then null
            when matched_gaps.gap_note is not null then matched_gaps.gap_note
            when published_files.file_status = 'missing'
                then 'no file for this force and month in the police.uk archive ' || published_files.archive_release
            else 'no file for this force and month has been loaded'
        end as status_note,
        coalesce(
            'data.police.uk archive ' || published_files.archive_release,
            'data.police.uk file loaded by hand: ' || published_files.source_file
        ) as source_release
    from force_month_spine
    left join published_files
        on
            force_month_spine.police_uk_slug = published_files.force_slug
            and force_month_spine.dataset = published_files.dataset
            and force_month_spine.file_month = published_files.file_month
    left join matched_gaps
        on
            force_month_spine.police_uk_slug = matched_gaps.police_uk_slug
            and force_month_spine.dataset = matched_gaps.dataset
            and force_month_spine.file_month = matched_gaps.month_start

)

select * from final
