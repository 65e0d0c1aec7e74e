-- Crime outcomes by force, framework crime group, outcome type and rolling year (the 12 months ending
-- each quarter the tables cover), on both count bases, with data breaks applied. Never counted:
-- fraud, the alternate-offence subsets 1a/2a/3a, and rows of expired offence codes (published as N/A).
with

outcomes as (

    select * from {{ ref('stg_home_office__crime_outcomes') }}
    where
        reporting_body = 'police_force_area'
        and not is_fraud
        and not is_alternate_offence_outcome
        and not (is_offence_code_expired and recorded_basis_status = 'not_applicable')

),

offence_groups as (

    select * from {{ ref('int_home_office__offence_crime_groups') }}

),

quarterly as (

    select
        outcomes.force_id,
        outcomes.quarter_start,
        offence_groups.crime_group,
        outcomes.outcome_type,
        sum(outcomes.outcomes_recorded_in_quarter) as outcomes_recorded_basis,
        sum(outcomes.outcomes_closed_in_quarter) as outcomes_closed_basis,
        case when count(*) filter (where outcomes.recorded_basis_status <> 'ok') > 0 then 'not_available' else 'ok' end
            as status,
        string_agg(distinct outcomes.recorded_basis_status_note, '; ') as status_note,
        max(outcomes.source_release) as source_release
    from outcomes
    inner join offence_groups
        on outcomes.offence_code = offence_groups.offence_code
    group by
        outcomes.force_id,
        outcomes.quarter_start,
        offence_groups.crime_group,
        outcomes.outcome_type

),

rolling as (

    {{ rolling_year('quarterly', ['force_id', 'crime_group', 'outcome_type'],
                    ['outcomes_recorded_basis', 'outcomes_closed_basis']) }}

),

final as (

    {{ apply_data_breaks('rolling', 'crime_outcomes', ['force_id', 'crime_group', 'outcome_type']) }}

)

select * from final
