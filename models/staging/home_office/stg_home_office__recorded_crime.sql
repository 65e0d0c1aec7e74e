with

source as (

    select * from {{ source('home_office', 'prc_force_area') }}

),

force_names as (

    {{ force_name_keys() }}

),

renamed as (

    select
        -- ids
        force_names.force_id,
        trim(source.offence_code) as offence_code,

        -- strings
        source.financial_year,
        trim(source.force_name) as force_name_published,
        {{ home_office_reporting_body('source.force_name', 'force_names.force_id') }} as reporting_body,
        trim(source.offence_description) as offence_description,
        trim(source.offence_group) as offence_group,
        trim(source.offence_subgroup) as offence_subgroup,
        coalesce(source.offence_count_marker, 'ok') as count_status,
        source.offence_count_marker_reason as count_status_note,

        -- numerics
        source.financial_quarter,
        source.offence_count,

        -- booleans
        (
            lower(trim(source.offence_group)) like 'fraud%'
            or lower(trim(source.force_name)) in ('action fraud', 'cifas', 'uk finance', 'financial fraud action uk')
        ) as is_fraud,

        -- dates
        {{ home_office_quarter_start('source.financial_year', 'source.financial_quarter') }} as quarter_start,

        -- provenance
        {{ home_office_provenance_columns('source') }}

    from source
    left join force_names
        on lower(trim(source.force_name)) = force_names.name_key

)

select * from renamed
