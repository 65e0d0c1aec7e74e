with

source as (

    select * from {{ source('police_uk_api', 'neighbourhoods') }}

),

renamed as (

    select
        -- ids
        force_slug,
        neighbourhood_id,

        -- strings
        nullif(trim(neighbourhood_name), '') as neighbourhood_name,

        -- timestamps
        fetched_at

    from source

)

select * from renamed
