-- Every neighbourhood the API lists now, as fetched, with what the NPG community measures ask of
-- it. Grain: one row per force area x neighbourhood (one the API no longer lists drops out). A
-- neighbourhood has a named, contactable officer when a team member with a name has at least one
-- contact detail online; its priorities are up to date when a priority was raised or acted on
-- within the 3 months before the fetch.
with

listed as (

    select * from {{ ref('stg_police_uk_api__neighbourhoods') }}

),

fetches as (

    select fetched.*
    from {{ ref('stg_police_uk_api__neighbourhood_fetches') }} as fetched
    inner join listed
        on fetched.force_slug = listed.force_slug and fetched.neighbourhood_id = listed.neighbourhood_id
    where fetched.force_id is not null

),

people as (

    select
        force_slug,
        neighbourhood_id,
        bool_or(person_name is not null and has_contact_details) as has_named_contactable_officer
    from {{ ref('stg_police_uk_api__neighbourhood_people') }}
    group by force_slug, neighbourhood_id

),

priorities as (

    select
        force_slug,
        neighbourhood_id,
        max(greatest(coalesce(action_date, issue_date), issue_date)) as latest_priority_update
    from {{ ref('stg_police_uk_api__neighbourhood_priorities') }}
    group by force_slug, neighbourhood_id

),

final as (

    select
        fetches.force_id,
        fetches.force_slug,
        fetches.neighbourhood_id,
        fetches.fetched_at,
        coalesce(people.has_named_contactable_officer, false) as has_named_contactable_officer,
        priorities.latest_priority_update,
        coalesce(
            priorities.latest_priority_update >= fetches.fetched_at - interval 3 month, false
        ) as has_priorities_updated_last_3_months
    from fetches
    left join people
        on fetches.force_slug = people.force_slug and fetches.neighbourhood_id = people.neighbourhood_id
    left join priorities
        on fetches.force_slug = priorities.force_slug and fetches.neighbourhood_id = priorities.neighbourhood_id

)

select * from final
