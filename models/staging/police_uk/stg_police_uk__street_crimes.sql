with

source as (

    {{ police_uk_current_rows('street', 'street') }}

),

renamed as (

    select
        -- ids
        nullif(crime_id, '') as crime_id,
        force_slug,
        lsoa_code,

        -- strings
        reported_by,
        falls_within,
        location as location_description,
        lsoa_name,
        crime_type,
        last_outcome_category,
        context,

        -- numerics
        longitude,
        latitude,

        -- booleans
        crime_type = 'Anti-social behaviour' as is_anti_social_behaviour,
        longitude is null as is_without_location,

        -- dates
        cast(month || '-01' as date) as crime_month,

        -- provenance: file_month, source_file, source_line, file_sha256, archive_release, loaded_at
        {{ police_uk_provenance_columns() }}

    from source

)

select * from renamed
