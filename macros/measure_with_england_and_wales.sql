{#-
    The closing CTEs of a measure model built from force rows: England and Wales added (summed from
    the forces, macros/england_and_wales_total.sql), then the measure contract. Used as

        with
        force_rows as ( ...one row per force, period, breakdown and unit... ),
        {{ measure_with_england_and_wales('<measure_id>') }}
-#}
{% macro measure_with_england_and_wales(measure_id, force_rows='force_rows') %}
england_and_wales as (

    {{ england_and_wales_total(force_rows) }}

),

measure_values as (

    select * from {{ force_rows }}
    union all
    select * from england_and_wales

),

final as (

    {{ measure_contract(measure_id, 'measure_values') }}

)

select * from final
{%- endmacro %}
