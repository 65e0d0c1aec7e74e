with

source as (

    select * from {{ source('police_uk_api', 'asb_incidents') }}

),

renamed as (

    select
        -- ids
        force_slug,
        neighbourhood_id,
        crime_id,
        street_id,

        -- strings
        location_type,
        street_name,

        -- numerics
        latitude,
        longitude,

        -- booleans
        -- the API returns every incident located in an area, British Transport Police's included
        coalesce(location_type = 'Force', false) as is_located_by_force,

        -- dates
        cast(month || '-01' as date) as month_start,
        last_updated,

        -- timestamps
        fetched_at

    from source

)

select * from renamed
