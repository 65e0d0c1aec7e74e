-- One row per force area x month x police.uk crime type (ASB included): the number of street-file
-- rows, with the file's status. A published file without rows of a type is a true zero; a month
-- whose file is missing has a null count.
with

coverage as (

    select * from {{ ref('int_police_uk__force_month_coverage') }}
    where dataset = 'street'

),

crime_types as (

    select * from {{ ref('police_uk_crime_types') }}

),

street_crimes as (

    select * from {{ ref('stg_police_uk__street_crimes') }}

),

counted as (

    select
        force_slug,
        file_month,
        crime_type,
        count(*) as recorded_count
    from street_crimes
    group by
        force_slug,
        file_month,
        crime_type

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
        coverage.source_release
    from coverage
    cross join crime_types
    left join counted
        on
            coverage.police_uk_slug = counted.force_slug
            and coverage.file_month = counted.file_month
            and crime_types.crime_type = counted.crime_type

)

select * from final
