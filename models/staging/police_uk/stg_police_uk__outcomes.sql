with

source as (

    {{ police_uk_current_rows('outcomes', 'outcomes') }}

),

renamed as (

    select
        -- ids
        crime_id,
        force_slug,
        lsoa_code,

        -- strings
        reported_by,
        falls_within,
        location as location_description,
        lsoa_name,
        outcome_type,

        -- numerics
        longitude,
        latitude,

        -- dates
        cast(month || '-01' as date) as outcome_month,

        -- provenance: file_month, source_file, source_line, file_sha256, archive_release, loaded_at
        {{ police_uk_provenance_columns() }}

    from source

)

select * from renamed
