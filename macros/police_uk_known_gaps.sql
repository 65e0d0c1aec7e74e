{% macro police_uk_known_gap_notes(spine, slug_column, dataset_column, month_column) %}
    {#- The known-gaps seed's notes that apply to each row of `spine` (grouped by slug, dataset and month). -#}
    select
        {{ spine }}.{{ slug_column }} as police_uk_slug,
        {{ spine }}.{{ dataset_column }} as dataset,
        {{ spine }}.{{ month_column }} as month_start,
        string_agg(known_gaps.note, '; ' order by known_gaps.month_from) as gap_note
    from {{ spine }}
    inner join {{ ref('police_uk_known_gaps') }} as known_gaps
        on
            {{ spine }}.{{ slug_column }} = known_gaps.police_uk_slug
            and known_gaps.dataset in ('all', {{ spine }}.{{ dataset_column }})
            and {{ spine }}.{{ month_column }} >= cast(known_gaps.month_from || '-01' as date)
            and {{ spine }}.{{ month_column }}
            <= coalesce(cast(known_gaps.month_to || '-01' as date), date '9999-12-01')
    group by
        {{ spine }}.{{ slug_column }},
        {{ spine }}.{{ dataset_column }},
        {{ spine }}.{{ month_column }}
{% endmacro %}
