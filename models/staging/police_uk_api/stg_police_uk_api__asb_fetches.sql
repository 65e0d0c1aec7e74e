with

source as (

    select * from {{ source('police_uk_api', 'asb_fetches') }}

),

forces as (

    select * from {{ ref('police_force_areas') }}

),

renamed as (

    select
        -- ids
        forces.force_id,
        source.force_slug,

        -- numerics
        source.neighbourhoods,
        source.neighbourhoods_without_boundary,
        source.incidents,
        source.area_requests,
        source.area_splits,

        -- dates
        cast(source.month || '-01' as date) as month_start,
        source.last_updated,

        -- timestamps
        source.fetched_at

    from source
    left join forces
        on source.force_slug = forces.police_uk_slug

)

select * from renamed
