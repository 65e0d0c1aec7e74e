with

source as (

    select * from {{ source('police_uk', 'published_files') }}

),

renamed as (

    select
        -- ids
        dataset,
        force_slug,

        -- strings
        status as file_status,
        file_sha256,
        source_file,
        source_location,
        archive_release,

        -- numerics
        row_count,

        -- dates
        cast(file_month || '-01' as date) as file_month,

        -- timestamps
        recorded_at

    from source

)

select * from renamed
