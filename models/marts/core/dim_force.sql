with

force_areas as (

    select * from {{ ref('police_force_areas') }}

),

forces as (

    select
        force_id,
        force_name,
        'police_force_area' as geography_level,
        country,
        region_code,
        region_name,
        police_uk_slug,
        police_uk_force_name
    from force_areas

),

england_and_wales as (

    select
        'K04000001' as force_id,
        'England and Wales' as force_name,
        'country' as geography_level,
        'England and Wales' as country,
        cast(null as varchar) as region_code,
        cast(null as varchar) as region_name,
        cast(null as varchar) as police_uk_slug,
        cast(null as varchar) as police_uk_force_name

),

final as (

    select * from forces
    union all
    select * from england_and_wales

)

select * from final
