-- PPF Crime headline: knife-enabled crime (knife or sharp instrument offences recorded by the police for
-- selected offences), split as the framework asks, by force and the 12 months each ONS edition covers.
-- Source: the ONS police force area data tables (the Home Office publishes the series by force only there).
with

knife_cells as (

    select * from {{ ref('stg_ons__pfa_table_values') }}
    where
        table_title ilike '%knife%'
        and unit = 'count'
        and area_type = 'police_force_area'
        and coalesce(value_period_end, period_end) = period_end

),

classified as (

    select
        *,
        case
            when measure ilike '%homicide%' then 'homicide'
            when measure ilike '%threats to kill%' then 'threats_to_kill'
            when measure ilike '%assault with injury%' or measure ilike '%intent to cause serious harm%'
                then 'assault_with_injury_and_with_intent_to_cause_serious_harm'
            when measure ilike 'robbery%' then 'robbery'
            when measure ilike '%attempted murder%' or measure ilike '%rape%' or measure ilike '%sexual assault%'
                then 'other_attempted_murder_rape_sexual_assault'
        end as knife_split
    from knife_cells

),

by_split as (

    select
        area_code as force_id,
        period_start,
        period_end,
        knife_split,
        sum(value) as offences,
        {{ combined_status('status') }} as status,
        string_agg(distinct status_note, '; ') as status_note,
        max(source_release) as source_release
    from classified
    where knife_split is not null
    group by
        area_code,
        period_start,
        period_end,
        knife_split

),

all_splits as (

    select
        force_id,
        period_start,
        period_end,
        'all_selected_offences' as knife_split,
        sum(offences) as offences,
        {{ combined_status('status') }} as status,
        string_agg(distinct status_note, '; ') as status_note,
        max(source_release) as source_release
    from by_split
    group by
        force_id,
        period_start,
        period_end

),

force_rows as (

    select
        force_id,
        period_start,
        period_end,
        'rolling_12_months' as period_type,
        'Year ending ' || strftime(period_end, '%b %Y') as period_label,
        'knife_crime_split' as breakdown,
        knife_split as breakdown_value,
        case when status = 'ok' then offences end as value,
        'count' as unit,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        status,
        status_note,
        'ONS police force area data tables: knife or sharp instrument offences (Home Office data)' as source,
        source_release
    from (
        select * from by_split
        union all
        select * from all_splits
    ) as splits

),

{{ measure_with_england_and_wales('knife_enabled_crime') }}
