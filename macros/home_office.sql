{#- Shared by the Home Office staging models (recorded crime and outcomes have the same framing). -#}

{#- First day of a financial-year quarter: '2024-25' quarter 1 is April 2024, quarter 4 is January 2025. -#}
{% macro home_office_quarter_start(financial_year, financial_quarter) -%}
    make_date(
        cast(left({{ financial_year }}, 4) as integer) + case when {{ financial_quarter }} = 4 then 1 else 0 end,
        case {{ financial_quarter }} when 1 then 4 when 2 then 7 when 3 then 10 else 1 end,
        1
    )
{%- endmacro %}

{#- Who reported the row: one of the 43 forces, British Transport Police, or a national fraud body. -#}
{% macro home_office_reporting_body(force_name, force_id) -%}
    case
        when {{ force_id }} is not null then 'police_force_area'
        when lower(trim({{ force_name }})) = 'british transport police' then 'british_transport_police'
        else 'national_fraud_body'
    end
{%- endmacro %}

{#- Provenance every Home Office row carries; source_release is the publisher's release date. -#}
{% macro home_office_provenance_columns(relation) -%}
        -- a file loaded by hand without the DDMMYY release suffix is named by its file instead
        coalesce(cast({{ relation }}.release_date as varchar), {{ relation }}.source_file) as source_release,
        {{ relation }}.source_file,
        {{ relation }}.source_sheet,
        {{ relation }}.source_row,
        {{ relation }}.file_sha256,
        {{ relation }}.source_location,
        {{ relation }}.loaded_at
{%- endmacro %}

{#- Every published spelling of a force area's name, lower-cased and trimmed, with its ONS code (join key name_key). -#}
{% macro force_name_keys() -%}
    select
        lower(trim(name_variant)) as name_key,
        force_id
    from {{ ref('force_name_variants') }}
    where force_id <> 'K04000001'
{%- endmacro %}
