{#-
    The body of a Crime Survey measure: the England and Wales estimates the mapping seed
    (seeds/csew_measure_rows.csv) names for `measure_id`, with their 95% intervals
    (intermediate.int_ons_csew__measure_estimates). CSEW perceptions and prevalence are published
    nationally only, so there are no force rows. A year whose question was not asked is a row with
    status not_available, never a gap.
-#}
{% macro csew_measure(measure_id) %}
with

estimates as (

    select * from {{ ref('int_ons_csew__measure_estimates') }}
    where measure_id = '{{ measure_id }}'

),

measure_values as (

    select
        'K04000001' as force_id,
        period_start,
        period_end,
        period_type,
        period_label,
        breakdown,
        breakdown_value,
        value,
        'percent' as unit,
        cast(null as double) as numerator,
        unweighted_base as denominator,
        ci_lower,
        ci_upper,
        status,
        status_note,
        'ONS Crime Survey for England and Wales (' || table_id || ': ' || table_title || ', row "' || row_label
        || '"); 95% interval ' || coalesce(ci_method, 'none') as source,
        source_release
    from estimates

),

final as (

    {{ measure_contract(measure_id, 'measure_values', has_confidence_intervals=true) }}

)

select * from final
{% endmacro %}
