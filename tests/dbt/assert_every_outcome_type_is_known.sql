-- Every outcome type in the loaded outcomes tables (except the alternate-offence subsets 1a/2a/3a,
-- which are never counted) is in seeds/home_office_outcome_types.csv, so no outcome escapes the
-- charge, attrition and positive-outcome flags unnoticed. Fails with one row per unknown type.
with

published as (

    select distinct
        outcome_type,
        outcome_description
    from {{ ref('stg_home_office__crime_outcomes') }}
    where not is_alternate_offence_outcome

),

known as (

    select outcome_type from {{ ref('home_office_outcome_types') }}

),

final as (

    select published.*
    from published
    left join known
        on published.outcome_type = known.outcome_type
    where known.outcome_type is null

)

select * from final
