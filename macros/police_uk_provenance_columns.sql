{#- The columns every police.uk archive row carries from the loader: which file, line and release. -#}
{% macro police_uk_provenance_columns() -%}
        cast(file_month || '-01' as date) as file_month,
        source_file,
        source_line,
        file_sha256,
        archive_release,
        loaded_at
{%- endmacro %}
