{#-
    The final select of every table in schema `measures` (DESIGN.md, "A measure table").

    A measure model computes its rows in a CTE with the columns
        force_id, period_start, period_end, period_type, period_label, breakdown, breakdown_value,
        value, unit, numerator, denominator, [ci_lower, ci_upper,] status, status_note,
        source, source_release
    and ends with {{ measure_contract('<measure_id>', '<cte>') }}. This macro adds measure_id, the
    force name, the catalogue's target and desired direction, and casts every column to the types
    the dbt model contract enforces.
-#}
{% macro measure_contract(measure_id, values_relation, has_confidence_intervals=false) %}
{%- if execute and model.resource_type == 'model' and model.name != measure_id -%}
    {#- fct_measure_values replaces a refreshed measure's rows by its table name -#}
    {{ exceptions.raise_compiler_error("measure_contract: measure_id '" ~ measure_id ~ "' must be the model's name, '" ~ model.name ~ "'") }}
{%- endif %}
select
    cast('{{ measure_id }}' as varchar) as measure_id,
    cast(measure_values.force_id as varchar) as force_id,
    cast(forces.force_name as varchar) as force_name,
    cast(measure_values.period_start as date) as period_start,
    cast(measure_values.period_end as date) as period_end,
    cast(measure_values.period_type as varchar) as period_type,
    cast(measure_values.period_label as varchar) as period_label,
    cast(measure_values.breakdown as varchar) as breakdown,
    cast(measure_values.breakdown_value as varchar) as breakdown_value,
    cast(measure_values.value as double) as value,
    cast(measure_values.unit as varchar) as unit,
    cast(measure_values.numerator as double) as numerator,
    cast(measure_values.denominator as double) as denominator,
    {% if has_confidence_intervals -%}
    cast(measure_values.ci_lower as double) as ci_lower,
    cast(measure_values.ci_upper as double) as ci_upper,
    {%- else -%}
    cast(null as double) as ci_lower,
    cast(null as double) as ci_upper,
    {%- endif %}
    cast(measure_values.status as varchar) as status,
    cast(measure_values.status_note as varchar) as status_note,
    cast(catalogue.target_value as double) as target,
    cast(catalogue.desired_direction as varchar) as desired_direction,
    cast(measure_values.source as varchar) as source,
    cast(measure_values.source_release as varchar) as source_release
from {{ values_relation }} as measure_values
inner join {{ ref('dim_force') }} as forces
    on measure_values.force_id = forces.force_id
-- a left join, so that a measure missing from the catalogue shows as null direction (tested), not as no rows
left join {{ ref('framework_measures') }} as catalogue
    on catalogue.measure_id = '{{ measure_id }}'
{% endmacro %}
