{#- police.uk writes booleans as `True` / `False`, and leaves the cell empty when not recorded. -#}
{% macro parse_published_boolean(column_name) -%}
    case {{ column_name }} when 'True' then true when 'False' then false end
{%- endmacro %}
