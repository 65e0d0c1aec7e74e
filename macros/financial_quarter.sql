{#-
    Financial-year quarters (April-June is Q1). They coincide with calendar quarters, so the start is
    date_trunc('quarter'); only the label differs: March 2025 falls in `2024-25 Q4`.
-#}
{% macro financial_quarter_start(date_expression) -%}
    cast(date_trunc('quarter', {{ date_expression }}) as date)
{%- endmacro %}

{% macro financial_quarter_label(date_expression) -%}
    (
        cast(year({{ date_expression }}) - case when month({{ date_expression }}) < 4 then 1 else 0 end as varchar)
        || '-'
        || right(cast(year({{ date_expression }}) + case when month({{ date_expression }}) < 4 then 0 else 1 end as varchar), 2)
        || ' Q'
        || cast(((month({{ date_expression }}) + 8) % 12) // 3 + 1 as varchar)
    )
{%- endmacro %}

{% macro month_label(date_expression) -%}
    strftime({{ date_expression }}, '%b %Y')
{%- endmacro %}
