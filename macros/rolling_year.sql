{#-
    Rolling years from quarterly rows: one row per partition x quarter, for the 12 months ending at
    the end of that quarter, only where all four quarters are present. Values are summed; a year with
    any quarter not `ok` keeps the first such quarter's status and note (with how many quarters are
    affected), and has null values (missing is never zero).

    `relation` has quarter_start, status, status_note, source_release, the partition columns and the
    value columns.
-#}
{% macro rolling_year(relation, partition_columns, value_columns) %}
select
    {%- for column in partition_columns %}
    {{ column }},
    {%- endfor %}
    period_start,
    period_end,
    'rolling_12_months' as period_type,
    period_label,
    {%- for column in value_columns %}
    case when quarters_not_ok = 0 then {{ column }} end as {{ column }},
    {%- endfor %}
    case when quarters_not_ok = 0 then 'ok' else first_status_not_ok end as status,
    case
        when quarters_not_ok > 0
            then cast(quarters_not_ok as varchar) || ' of the 4 quarters not available (first: '
            || first_quarter_not_ok || '): ' || first_note_not_ok
    end as status_note,
    source_release
from (
    select
        {%- for column in partition_columns %}
        {{ column }},
        {%- endfor %}
        cast(quarter_start - interval 9 month as date) as period_start,
        cast(quarter_start + interval 3 month - interval 1 day as date) as period_end,
        'Year ending ' || strftime(quarter_start + interval 2 month, '%b %Y') as period_label,
        {%- for column in value_columns %}
        sum({{ column }}) over rolling_window as {{ column }},
        {%- endfor %}
        count(*) over rolling_window as quarters_in_period,
        count(*) filter (where status <> 'ok') over rolling_window as quarters_not_ok,
        first(case when status <> 'ok' then status end ignore nulls) over rolling_window as first_status_not_ok,
        first(case when status <> 'ok' then strftime(quarter_start, '%b %Y') || ' quarter' end ignore nulls)
            over rolling_window as first_quarter_not_ok,
        first(case when status <> 'ok' then status_note end ignore nulls) over rolling_window as first_note_not_ok,
        max(source_release) over rolling_window as source_release
    from {{ relation }}
    window rolling_window as (
        partition by {{ partition_columns | join(', ') }}
        order by quarter_start
        range between interval 9 month preceding and current row
    )
) as windowed
where quarters_in_period = 4
{% endmacro %}
