-- Workforce FTE by function, from the functions open data table's newest release for each date.
-- Grain: one row per force area x snapshot date x worker type x wider function x function subgroup
-- x sex x ethnicity (5+1), as published. Function names are put in one case ("Local Policing" in
-- older years, "Local policing" later), and the neighbourhood roles the 13,000 uplift counts are
-- flagged (function subgroups in var('neighbourhood_function_subgroups') within Local policing).
with

functions as (

    select * from {{ ref('stg_home_office_workforce__functions') }}
    where is_latest_vintage and reporting_body = 'police_force_area'

),

worker_types as (

    select unnest({{ var('workforce_worker_types') }}) as worker_type

),

final as (

    select
        functions.force_id,
        functions.as_at,
        coalesce(worker_types.worker_type, functions.worker_type) as worker_type,
        upper(left(functions.wider_function_name, 1)) || lower(substr(functions.wider_function_name, 2))
            as wider_function,
        upper(left(functions.function_subgroup_name, 1)) || lower(substr(functions.function_subgroup_name, 2))
            as function_subgroup,
        functions.sex,
        functions.ethnicity_5_plus_1,
        functions.ethnicity_3_plus_1,
        functions.frontline_type,
        (
            lower(functions.wider_function_name) = 'local policing'
            and lower(functions.function_subgroup_name) in (
                select lower(unnest({{ var('neighbourhood_function_subgroups') }}))
            )
        ) as is_neighbourhood_role,
        functions.fte,
        functions.fte_status as status,
        functions.fte_status_note as status_note,
        functions.source_release
    from functions
    left join worker_types
        on lower(functions.worker_type) = lower(worker_types.worker_type)

)

select * from final
