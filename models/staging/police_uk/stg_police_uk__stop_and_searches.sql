with

source as (

    {{ police_uk_current_rows('stop_and_search', 'stop_and_search') }}

),

renamed as (

    select
        -- ids
        force_slug,

        -- strings
        type as search_type,
        policing_operation,
        gender,
        age_range,
        self_defined_ethnicity,
        officer_defined_ethnicity,
        legislation,
        object_of_search,
        outcome,

        -- numerics
        latitude,
        longitude,

        -- booleans (published as True / False / empty)
        {{ parse_published_boolean('part_of_a_policing_operation') }} as is_part_of_policing_operation,
        {{ parse_published_boolean('outcome_linked_to_object_of_search') }} as is_outcome_linked_to_object,
        {{ parse_published_boolean('removal_of_more_than_just_outer_clothing') }}
            as is_more_than_outer_clothing_removed,

        -- timestamps
        cast(date as timestamptz) as searched_at,

        -- provenance: file_month, source_file, source_line, file_sha256, archive_release, loaded_at
        {{ police_uk_provenance_columns() }}

    from source

)

select * from renamed
