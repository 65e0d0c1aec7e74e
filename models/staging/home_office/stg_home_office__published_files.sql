with

source as (

    select * from {{ source('home_office', 'published_files') }}

),

renamed as (

    select
        -- ids
        dataset,
        financial_year,

        -- strings
        source_file,
        source_sheet,
        source_location,
        title,
        file_sha256,

        -- numerics
        file_size,
        row_count,

        -- dates
        release_date,

        -- timestamps
        loaded_at

    from source

)

select * from renamed
