{#- The period columns of a measure row, shared by every measure of the same period kind. -#}

{#- One calendar month starting on `month_column`. -#}
{% macro month_period(month_column='month_start') -%}
        {{ month_column }} as period_start,
        last_day({{ month_column }}) as period_end,
        'month' as period_type,
        strftime({{ month_column }}, '%b %Y') as period_label
{%- endmacro %}

{#- A snapshot as at a date: period_start = period_end = the date. -#}
{% macro snapshot_period(date_column) -%}
        {{ date_column }} as period_start,
        {{ date_column }} as period_end,
        'snapshot_date' as period_type,
        'As at ' || strftime({{ date_column }}, '%-d %B %Y') as period_label
{%- endmacro %}
