with

source as (

    select * from {{ source('ons_csew', 'estimates') }}

),

renamed as (

    select
        -- ids
        source.dataset,
        source.table_id,

        -- strings
        source.edition_label,
        trim(source.table_title) as table_title,
        trim(source.row_label) as row_label,
        source.period_label,
        coalesce(source.value_marker, 'ok') as status,
        source.value_marker_reason as status_note,

        -- numerics
        source.value,
        source.ci_lower,
        source.ci_upper,
        source.unweighted_base,

        -- dates
        source.period_start,
        source.period_end,
        source.release_date,

        -- provenance
        'ONS CSEW ' || replace(source.dataset, '_', ' ') || ' tables, ' || source.edition_label
        || coalesce(' (released ' || cast(source.release_date as varchar) || ')', '') as source_release,
        source.source_file,
        source.source_sheet,
        source.source_row,
        source.source_column,
        source.file_sha256,
        source.source_location,
        source.loaded_at

    from source

)

select * from renamed
