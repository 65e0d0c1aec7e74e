-- Every offence the Home Office tables carry (other than fraud, and expired codes published only as
-- N/A) falls in total recorded crime through seeds/crime_group_members.csv. A new offence group,
-- subgroup or code that no rule matches would silently drop out of every measure: this fails with
-- one row per such offence, naming it, so the seed can be extended.
with

recorded as (

    select distinct
        'recorded_crime' as dataset,
        offence_code,
        offence_description,
        offence_group,
        offence_subgroup
    from {{ ref('stg_home_office__recorded_crime') }}
    where not is_fraud

),

outcomes as (

    select distinct
        'crime_outcomes' as dataset,
        offence_code,
        offence_description,
        offence_group,
        offence_subgroup
    from {{ ref('stg_home_office__crime_outcomes') }}
    where not is_fraud and not (is_offence_code_expired and recorded_basis_status = 'not_applicable')

),

in_total as (

    select offence_code from {{ ref('int_home_office__offence_crime_groups') }}
    where crime_group = 'total_recorded_crime'

),

final as (

    select offences.*
    from (
        select * from recorded
        union
        select * from outcomes
    ) as offences
    left join in_total
        on offences.offence_code = in_total.offence_code
    where in_total.offence_code is null

)

select * from final
