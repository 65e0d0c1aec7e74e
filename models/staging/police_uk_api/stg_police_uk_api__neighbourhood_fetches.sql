with

source as (

    select * from {{ source('police_uk_api', 'neighbourhood_fetches') }}

),

forces as (

    select * from {{ ref('police_force_areas') }}

),

renamed as (

    select
        -- ids
        forces.force_id,
        source.force_slug,
        source.neighbourhood_id,

        -- numerics
        source.people_count,
        source.priorities_count,

        -- timestamps
        source.fetched_at

    from source
    left join forces
        on source.force_slug = forces.police_uk_slug

)

select * from renamed
