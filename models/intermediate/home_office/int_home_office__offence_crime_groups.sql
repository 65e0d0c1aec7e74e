-- Which framework crime groups each Home Office offence code belongs to, by the rules of the
-- crime_group_members seed (match on offence code, offence group or offence subgroup, case-insensitive).
-- Fraud never belongs to a group: it is recorded nationally by Action Fraud, not by force.
with

recorded_offences as (

    select distinct
        offence_code,
        offence_group,
        offence_subgroup
    from {{ ref('stg_home_office__recorded_crime') }}
    where not is_fraud

),

outcome_offences as (

    select distinct
        offence_code,
        offence_group,
        offence_subgroup
    from {{ ref('stg_home_office__crime_outcomes') }}
    where not is_fraud

),

offences as (

    select * from recorded_offences
    union
    select * from outcome_offences

),

members as (

    select * from {{ ref('crime_group_members') }}

),

final as (

    select distinct
        offences.offence_code,
        members.crime_group
    from offences
    inner join members
        on (
            members.match_column = 'offence_code'
            and lower(offences.offence_code) = lower(members.match_value)
        )
        or (
            members.match_column = 'offence_group'
            and lower(offences.offence_group) = lower(members.match_value)
        )
        or (
            members.match_column = 'offence_subgroup'
            and lower(offences.offence_subgroup) = lower(members.match_value)
        )

)

select * from final
