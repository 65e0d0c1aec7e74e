with

source as (

    select * from {{ source('police_uk_api', 'neighbourhood_priorities') }}

),

renamed as (

    select
        -- ids
        force_slug,
        neighbourhood_id,

        -- strings
        issue,
        action,

        -- timestamps
        cast(issue_date as timestamp) as issue_date,
        cast(action_date as timestamp) as action_date,
        fetched_at

    from source

)

select * from renamed
