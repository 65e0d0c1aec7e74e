{#
    Schemas are named exactly as configured (`staging`, `intermediate`, `core`, `measures`,
    `reference`), not prefixed with the target schema, so that `select * from measures.<id>` works.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
