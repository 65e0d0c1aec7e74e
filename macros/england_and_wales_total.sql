{#-
    England and Wales (K04000001) rows summed from the force rows of a measure, one per period,
    breakdown and unit. Only forces whose status is `ok` are summed. When some are not, the row is
    `incomplete`, keeps the partial total (as ONS publishes "England and Wales excluding Greater
    Manchester") and names the forces left out; a rate is recomputed from the summed numerator and
    denominator of the same forces, so it stays a true rate of the covered population.
-#}
{% macro england_and_wales_total(force_rows) %}
select
    'K04000001' as force_id,
    force_rows.period_start,
    force_rows.period_end,
    force_rows.period_type,
    force_rows.period_label,
    force_rows.breakdown,
    force_rows.breakdown_value,
    case
        when force_rows.unit = 'rate_per_1000'
            then 1000.0 * sum(force_rows.numerator) filter (where force_rows.status = 'ok')
            / nullif(sum(force_rows.denominator) filter (where force_rows.status = 'ok'), 0)
        else sum(force_rows.value) filter (where force_rows.status = 'ok')
    end as value,
    force_rows.unit,
    sum(force_rows.numerator) filter (where force_rows.status = 'ok') as numerator,
    sum(force_rows.denominator) filter (where force_rows.status = 'ok') as denominator,
    case
        when count(*) filter (where force_rows.status = 'ok') = (select count(*) from {{ ref('police_force_areas') }})
            then 'ok'
        when count(*) filter (where force_rows.status = 'ok') = 0 then 'not_available'
        else 'incomplete'
    end as status,
    case
        when count(*) filter (where force_rows.status = 'ok') < (select count(*) from {{ ref('police_force_areas') }})
            then 'total of the '
            || cast(count(*) filter (where force_rows.status = 'ok') as varchar)
            || ' of '
            || cast((select count(*) from {{ ref('police_force_areas') }}) as varchar)
            || ' forces with complete data; not included: '
            || coalesce(string_agg(forces.force_name, ', ' order by forces.force_name)
                filter (where force_rows.status <> 'ok'), 'forces with no row')
    end as status_note,
    min(force_rows.source) as source,
    max(force_rows.source_release) as source_release
from {{ force_rows }} as force_rows
inner join {{ ref('police_force_areas') }} as forces
    on force_rows.force_id = forces.force_id
group by
    force_rows.period_start,
    force_rows.period_end,
    force_rows.period_type,
    force_rows.period_label,
    force_rows.breakdown,
    force_rows.breakdown_value,
    force_rows.unit
{% endmacro %}
