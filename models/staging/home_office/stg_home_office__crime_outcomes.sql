with

source as (

    select * from {{ source('home_office', 'crime_outcomes') }}

),

force_names as (

    {{ force_name_keys() }}

),

renamed as (

    select
        -- ids
        force_names.force_id,
        trim(source.offence_code) as offence_code,
        trim(source.outcome_type) as outcome_type,

        -- strings
        source.financial_year,
        trim(source.force_name) as force_name_published,
        {{ home_office_reporting_body('source.force_name', 'force_names.force_id') }} as reporting_body,
        trim(source.offence_description) as offence_description,
        trim(source.offence_group) as offence_group,
        trim(source.offence_subgroup) as offence_subgroup,
        trim(source.outcome_description) as outcome_description,
        -- en and em dashes appear in some labels ("Investigation complete – no suspect identified")
        trim(replace(replace(source.outcome_group, '–', '-'), '—', '-')) as outcome_group,
        coalesce(source.outcomes_recorded_in_quarter_marker, 'ok') as recorded_basis_status,
        source.outcomes_recorded_in_quarter_marker_reason as recorded_basis_status_note,
        coalesce(source.outcomes_closed_in_quarter_marker, 'ok') as closed_basis_status,
        source.outcomes_closed_in_quarter_marker_reason as closed_basis_status_note,

        -- numerics
        source.financial_quarter,
        try_cast(regexp_extract(trim(source.outcome_type), '^\d+') as integer) as outcome_type_number,
        source.outcomes_recorded_in_quarter,
        source.outcomes_closed_in_quarter,

        -- booleans
        coalesce(source.offence_code_expired, false) as is_offence_code_expired,
        lower(trim(source.offence_group)) like 'fraud%' as is_fraud,
        -- 1a/2a/3a: a charge or caution for an alternate offence, a subset of types 1-3; never counted
        regexp_matches(trim(source.outcome_type), '^\d+[a-z]$') as is_alternate_offence_outcome,
        trim(source.outcome_type) = '0' as is_not_yet_assigned,

        -- dates
        {{ home_office_quarter_start('source.financial_year', 'source.financial_quarter') }} as quarter_start,

        -- provenance
        {{ home_office_provenance_columns('source') }}

    from source
    left join force_names
        on lower(trim(source.force_name)) = force_names.name_key

)

select * from renamed
