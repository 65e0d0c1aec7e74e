with

source as (

    select * from {{ source('ons', 'pfa_table_values') }}

),

renamed as (

    select
        -- ids
        table_id,
        area_code,
        parent_area_code,
        local_authority_code,

        -- strings
        edition_label,
        table_title,
        area_name,
        area_name_published,
        area_type,
        parent_area_name,
        local_authority_name,
        column_group,
        column_label,
        measure,
        unit,
        population_vintage,
        case
            when marker is null then 'ok'
            when marker in ('suppressed') then 'suppressed'
            else 'not_available'
        end as status,
        marker_reason as status_note,

        -- numerics
        value,

        -- dates
        period_start,
        period_end,
        value_period_end,
        compared_with_period_end,

        -- provenance
        'ONS PFA data tables, ' || edition_label as source_release,
        source_file,
        source_sheet,
        source_row,
        source_column,
        file_sha256,
        loaded_at

    from source

)

select * from renamed
