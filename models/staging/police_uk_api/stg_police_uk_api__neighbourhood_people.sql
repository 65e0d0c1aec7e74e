with

source as (

    select * from {{ source('police_uk_api', 'neighbourhood_people') }}

),

renamed as (

    select
        -- ids
        force_slug,
        neighbourhood_id,

        -- strings
        nullif(trim(person_name), '') as person_name,
        nullif(trim(rank), '') as rank,
        contact_details,

        -- booleans
        coalesce(has_contact_details, false) as has_contact_details,

        -- timestamps
        fetched_at

    from source

)

select * from renamed
