{#- The rows of a police.uk archive table that are current, with their file's provenance.

    The loader appends a republished force-month and then deletes the rows it replaced; until then
    (or if a run stops in between) both sets exist. A row is current while its loaded_at equals the
    recorded_at of its force-month's `loaded` record in published_files, which also holds what is the
    same for the whole file: its name, checksum and archive release. -#}
{% macro police_uk_current_rows(table_name, dataset) -%}
    select
        data_rows.*,
        published_files.source_file,
        published_files.file_sha256,
        published_files.archive_release
    from {{ source('police_uk', table_name) }} as data_rows
    inner join {{ source('police_uk', 'published_files') }} as published_files
        on
            data_rows.force_slug = published_files.force_slug
            and data_rows.file_month = published_files.file_month
            and data_rows.loaded_at = published_files.recorded_at
    where
        published_files.dataset = '{{ dataset }}'
        and published_files.status = 'loaded'
{%- endmacro %}

{#- The columns every police.uk archive row carries from the loader: which file, line and release. -#}
{% macro police_uk_provenance_columns() -%}
        cast(file_month || '-01' as date) as file_month,
        source_file,
        source_line,
        file_sha256,
        archive_release,
        loaded_at
{%- endmacro %}
