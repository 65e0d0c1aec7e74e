{#- dbt's get_where_subquery (the relation a data test reads, filtered by its `where` config), with one
    placeholder: `__rows_of_refreshed_measures__` becomes rows_of_refreshed_measures(), decided when the
    test runs (a `where` is fixed when the project is parsed). dbt_project.yml sets it on the tests of
    fct_measure_values and measure_assessment, so a refresh tests the rows it replaced. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}
        {%- set where = where | replace('__rows_of_refreshed_measures__', rows_of_refreshed_measures()) -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
