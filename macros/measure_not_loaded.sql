{#-
    The body of a measure table whose source the warehouse does not load yet: no rows, the contract's
    columns and types. The catalogue's source_status says why (planned loader, template, not yet
    available); `dim_measure` and `make coverage` report it. A placeholder model is one line:
        {{ measure_not_loaded() }}
-#}
{% macro measure_not_loaded() %}
with

measure_values as (

    select
        cast(null as varchar) as force_id,
        cast(null as date) as period_start,
        cast(null as date) as period_end,
        cast(null as varchar) as period_type,
        cast(null as varchar) as period_label,
        cast(null as varchar) as breakdown,
        cast(null as varchar) as breakdown_value,
        cast(null as double) as value,
        cast(null as varchar) as unit,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        cast(null as varchar) as status,
        cast(null as varchar) as status_note,
        cast(null as varchar) as source,
        cast(null as varchar) as source_release
    where false

),

final as (

    {{ measure_contract(model.name, 'measure_values') }}

)

select * from final
{% endmacro %}
