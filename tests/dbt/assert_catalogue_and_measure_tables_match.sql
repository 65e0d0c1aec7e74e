-- Every catalogue measure has a table in schema `measures`, and every measure table has a catalogue
-- row. Fails with one row per id that is on one side only.
{%- set measure_models = [] %}
{%- if execute %}
    {%- for node in graph.nodes.values() %}
        {%- if node.resource_type == 'model' and node.config.schema == 'measures' %}
            {%- do measure_models.append(node.name) %}
        {%- endif %}
    {%- endfor %}
{%- endif %}

with

measure_tables as (

    select unnest([
        {%- for name in measure_models %}
            '{{ name }}'{{ "," if not loop.last }}
        {%- endfor %}
    ]::varchar[])
        as measure_id

),

catalogue as (

    select measure_id from {{ ref('framework_measures') }}

),

final as (

    select
        coalesce(catalogue.measure_id, measure_tables.measure_id) as measure_id,
        case
            when measure_tables.measure_id is null then 'catalogue row without a measure table'
            else 'measure table without a catalogue row'
        end as problem
    from catalogue
    full outer join measure_tables
        on catalogue.measure_id = measure_tables.measure_id
    where catalogue.measure_id is null or measure_tables.measure_id is null

)

select * from final
