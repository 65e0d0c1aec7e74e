-- One row per force area x month x police.uk crime type (ASB included): the number of street-file
-- rows, with the file's status. A published file without rows of a type is a true zero; a month
-- whose file is missing has a null count.
--
-- Incremental by force-month: a run counts only the force-months whose street file was loaded (or
-- recorded missing) after the newest one already counted, so a new month reads one month of rows,
-- not three years. Seeds and code changes rebuild it whole (`make transform` runs --full-refresh).
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['force_id', 'month_start'],
        on_schema_change='fail'
    )
}}

with

coverage as (

    select * from {{ ref('int_police_uk__force_month_coverage') }}
    where
        dataset = 'street'
    {% if is_incremental() -%}
        and (
            file_recorded_at > (select max(file_recorded_at) from {{ this }})
            or file_month not in (select distinct month_start from {{ this }})
        )
    {%- endif %}

),

crime_types as (

    select * from {{ ref('police_uk_crime_types') }}

),

street_crimes as (

    select * from {{ ref('stg_police_uk__street_crimes') }}

),

counted as (

    select
        street_crimes.force_slug,
        street_crimes.file_month,
        street_crimes.crime_type,
        count(*) as recorded_count
    from street_crimes
    {% if is_incremental() -%}
    -- only the months being recounted: the rest of the table is not read
    where street_crimes.file_month in (select coverage.file_month from coverage)
    {%- endif %}
    group by
        street_crimes.force_slug,
        street_crimes.file_month,
        street_crimes.crime_type

),

final as (

    select
        coverage.force_id,
        coverage.file_month as month_start,
        crime_types.crime_type,
        case
            when coverage.file_status = 'loaded' then coalesce(counted.recorded_count, 0)
        end as recorded_count,
        coverage.status,
        coverage.status_note,
        coverage.source_release,
        coverage.file_recorded_at
    from coverage
    cross join crime_types
    left join counted
        on
            coverage.police_uk_slug = counted.force_slug
            and coverage.file_month = counted.file_month
            and crime_types.crime_type = counted.crime_type

)

select * from final
