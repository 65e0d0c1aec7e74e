{#- The measure models (schema `measures`) this dbt invocation builds, by name, when it builds some
    but not all of them (a refresh: `make transform` after new data selects what is downstream of the
    changed source); an empty list otherwise. Each measure's rows carry measure_id = its model name
    (measure_contract makes sure). -#}
{% macro measures_refreshed_in_this_run() -%}
    {%- set selected, every = [], [] -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.config.schema == 'measures' -%}
        {%- do every.append(node.name) -%}
        {%- if node.unique_id in selected_resources -%}
            {%- do selected.append(node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(selected | sort if selected | length < every | length else []) }}
{%- endmacro %}

{#- Which measure tables fct_measure_values reads, and replaces the rows of, in this run: every one on
    a full build; on an incremental run only those this invocation rebuilt (the others are as they
    were, and so are their rows), or every one when it rebuilt none or all. -#}
{% macro measure_tables_to_read(measure_tables) -%}
    {%- set refreshed = measures_refreshed_in_this_run() if is_incremental() else [] -%}
    {{ return(measure_tables | selectattr('identifier', 'in', refreshed) | list if refreshed else measure_tables) }}
{%- endmacro %}

{#- The pre-hook of fct_measure_values on incremental runs: delete the rows of the measures it is about
    to read again, so that a measure whose table now has no rows keeps none. -#}
{% macro delete_measure_rows_to_replace() -%}
    {%- if is_incremental() -%}
        {%- set refreshed = measures_refreshed_in_this_run() -%}
        delete from {{ this }}
        {%- if refreshed %} where measure_id in ('{{ refreshed | join("', '") }}'){% endif %}
    {%- endif -%}
{%- endmacro %}

{#- A `where` condition for the data tests of the models that are incremental by measure
    (fct_measure_values, measure_assessment): their rows of the measures refreshed in this run. Rows of
    the other measures are as they were when an earlier build tested them. `true` on full builds. -#}
{% macro rows_of_refreshed_measures() -%}
    {%- set refreshed = [] if flags.FULL_REFRESH else measures_refreshed_in_this_run() -%}
    {%- if refreshed -%}
        measure_id in ('{{ refreshed | join("', '") }}')
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
