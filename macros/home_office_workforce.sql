{#- Shared by the Home Office police workforce staging and measure models. -#}

{#-
    The body of a staging model over one workforce open data table: text trimmed, force names of
    every spelling mapped to the ONS force code, counts as exact decimals with their markers as a
    status, provenance, and the vintage flag. Each release re-publishes every earlier snapshot, so one
    snapshot date can have several vintages: is_latest_vintage marks the rows of the newest release
    carrying that date (the figures the measures use); older vintages stay queryable.
-#}
{% macro home_office_workforce_staging(table, text_columns, count_columns, period_column='as_at') %}
with

source as (

    select * from {{ source('home_office_workforce', table) }}

),

force_names as (

    {{ force_name_keys() }}

),

renamed as (

    select
        -- ids
        force_names.force_id,

        -- strings
        trim(source.force_name) as force_name_published,
        case
            when force_names.force_id is not null then 'police_force_area'
            when lower(trim(source.force_name)) = 'british transport police' then 'british_transport_police'
            else 'other'
        end as reporting_body,
        {%- for column in text_columns %}
        trim(source.{{ column }}) as {{ column }},
        {%- endfor %}
        {%- for column in count_columns %}
        coalesce(source.{{ column }}_marker, 'ok') as {{ column }}_status,
        source.{{ column }}_marker_reason as {{ column }}_status_note,
        {%- endfor %}

        -- numerics: exact decimals, so that sums do not depend on the order of the rows
        {%- for column in count_columns %}
        {{ exact('source.' ~ column) }} as {{ column }},
        {%- endfor %}

        -- dates
        source.{{ period_column }},
        source.release_date,

        -- booleans
        source.release_date = max(source.release_date) over (
            partition by source.{{ period_column }}
        ) as is_latest_vintage,

        -- provenance
        coalesce(source.release_title, 'Police workforce open data') || ' (released '
        || cast(source.release_date as varchar) || ')' as source_release,
        source.source_file,
        source.source_sheet,
        source.source_row,
        source.file_sha256,
        source.source_location,
        source.loaded_at

    from source
    left join force_names
        on lower(trim(source.force_name)) = force_names.name_key

)

select * from renamed
{% endmacro %}

{#-
    Force rows of a workforce measure on the measure contract, one per force area (43) x period x
    breakdown value that the data carry for any force: a force without a value for it gets a row
    with a status, not an absent row. `relation` has force_id, period_date (the snapshot date, or
    the end of the year for flows), breakdown, breakdown_value, value, numerator, denominator,
    status, status_note and source_release. `period` is 'snapshot' (as at a date) or
    'year_ending_march' (the financial year ending on period_date).

    The open data tables list only the combinations that have staff (no zero rows), so with
    zero_when_absent a breakdown value absent for a force that published other values of the same
    breakdown for that date is a true zero (value 0, the base of the force's other rows); a force
    that published nothing for the date stays not_available.
-#}
{% macro workforce_force_rows(relation, unit, source, period='snapshot', zero_when_absent=false) %}
select
    forces.force_id,
    {% if period == 'snapshot' -%}
    {{ snapshot_period('cells.period_date') }},
    {%- else -%}
    cast(cells.period_date - interval 1 year + interval 1 day as date) as period_start,
    cells.period_date as period_end,
    'financial_year' as period_type,
    cast(year(cells.period_date) - 1 as varchar) || '-' || right(cast(year(cells.period_date) as varchar), 2)
        as period_label,
    {%- endif %}
    cells.breakdown,
    cells.breakdown_value,
    case
        when rows_in.force_id is not null then case when rows_in.status = 'ok' then rows_in.value end
        {% if zero_when_absent -%}
        when published.force_id is not null then 0
        {%- endif %}
    end as value,
    '{{ unit }}' as unit,
    case
        when rows_in.force_id is not null then case when rows_in.status = 'ok' then rows_in.numerator end
        {% if zero_when_absent -%}
        when published.force_id is not null and published.denominator is not null then 0
        {%- endif %}
    end as numerator,
    case
        when rows_in.force_id is not null then case when rows_in.status = 'ok' then rows_in.denominator end
        {% if zero_when_absent -%}
        when published.force_id is not null then published.denominator
        {%- endif %}
    end as denominator,
    case
        when rows_in.force_id is not null then rows_in.status
        {% if zero_when_absent -%}
        when published.force_id is not null then 'ok'
        {%- endif %}
        else 'not_available'
    end as status,
    case
        when rows_in.force_id is not null then rows_in.status_note
        {% if zero_when_absent -%}
        when published.force_id is not null then null
        {%- endif %}
        else 'not published for this force and period'
    end as status_note,
    '{{ source }}' as source,
    coalesce(rows_in.source_release, {% if zero_when_absent %}published.source_release, {% endif %}cells.source_release)
        as source_release
from (
    select
        period_date,
        breakdown,
        breakdown_value,
        max(source_release) as source_release
    from {{ relation }}
    group by period_date, breakdown, breakdown_value
) as cells
cross join {{ ref('police_force_areas') }} as forces
left join {{ relation }} as rows_in
    on
        forces.force_id = rows_in.force_id
        and cells.period_date = rows_in.period_date
        and cells.breakdown = rows_in.breakdown
        and cells.breakdown_value = rows_in.breakdown_value
{% if zero_when_absent -%}
left join (
    -- forces that published this breakdown for this date, with the base their shares divide by
    select
        force_id,
        period_date,
        breakdown,
        max(denominator) as denominator,
        max(source_release) as source_release
    from {{ relation }}
    where status = 'ok'
    group by force_id, period_date, breakdown
) as published
    on
        forces.force_id = published.force_id
        and cells.period_date = published.period_date
        and cells.breakdown = published.breakdown
{%- endif %}
{% endmacro %}

{#- A share as a percentage with its status: ok only when both parts are published and the base is positive. -#}
{% macro workforce_share(numerator, denominator) -%}
        case when {{ denominator }} > 0 then 100.0 * {{ numerator }} / {{ denominator }} end as value,
        {{ numerator }} as numerator,
        {{ denominator }} as denominator,
        case
            when {{ numerator }} is not null and {{ denominator }} > 0 then 'ok'
            else 'not_available'
        end as status,
        case
            when {{ numerator }} is null then 'part of the share is not published'
            when not coalesce({{ denominator }} > 0, false) then 'no workforce to divide by'
        end as status_note
{%- endmacro %}
