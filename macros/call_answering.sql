{#- Status and note of a monthly figure from the published row and the figure's own status. -#}
{% macro call_answering_status(value, figure_status) -%}
        case when {{ value }} is not null then 'ok' else 'not_available' end as status,
        case
            when not row_published then 'no row for this force in the month''s file'
            when {{ value }} is null then 'not published (' || {{ figure_status }} || ')'
        end as status_note
{%- endmacro %}

{#- Median answer-time rows for every force-month: the published data give the average only. -#}
{% macro call_answering_median_not_published(relation, call_type) -%}
    select
        force_id,
        {{ month_period() }},
        'statistic' as breakdown,
        'median' as breakdown_value,
        cast(null as double) as value,
        'seconds' as unit,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        'not_available' as status,
        'the published call-answering data give the average {{ call_type }} answer time, not the median'
            as status_note,
        'police.uk {{ call_type }} call answering data' as source,
        source_release
    from {{ relation }}
{%- endmacro %}


{#- Average answer-time rows (breakdown statistic = average, seconds) of `relation`, weighted by `calls` for
    the England and Wales average (numerator = average x calls). -#}
{% macro call_answering_average_rows(relation, average, calls, figure_status, source) -%}
    select
        force_id,
        {{ month_period() }},
        'statistic' as breakdown,
        'average' as breakdown_value,
        {{ average }} as value,
        'seconds' as unit,
        {{ average }} * {{ calls }} as numerator,
        case when {{ average }} is not null then {{ calls }} end as denominator,
        {{ call_answering_status(average, figure_status) }},
        '{{ source }}' as source,
        source_release
    from {{ relation }}
{%- endmacro %}
