-- NPG pillar 4: police recorded ASB incidents, volume and rate per 1,000 residents, by force and
-- financial quarter, from police.uk street-level ASB records: the archive's street files, and for
-- months beyond the loaded archive, the data.police.uk API.
with

archive_asb as (

    select
        force_id,
        month_start,
        recorded_count,
        status,
        status_note,
        source_release
    from {{ ref('int_police_uk__street_crime_counts') }}
    where crime_type = 'Anti-social behaviour'

),

api_asb as (

    select
        api.force_id,
        api.month_start,
        api.recorded_count,
        api.status,
        api.status_note,
        api.source_release
    from {{ ref('int_police_uk_api__asb_counts') }} as api
    -- the archive wins wherever it covers the month
    left join archive_asb
        on api.force_id = archive_asb.force_id and api.month_start = archive_asb.month_start
    where archive_asb.force_id is null

),

monthly_asb as (

    select * from archive_asb
    union all
    select * from api_asb

),

quarterly as (

    select
        force_id,
        {{ financial_quarter_start('month_start') }} as period_start,
        {{ financial_quarter_label('month_start') }} as period_label,
        count(*) filter (where status = 'ok') as months_ok,
        count(*) filter (where recorded_count is not null) as months_with_file,
        sum(recorded_count) as recorded_count,
        string_agg(
            case when status <> 'ok' then {{ month_label('month_start') }} || ': ' || status_note end,
            '; ' order by month_start
        ) as gaps,
        string_agg(distinct source_release, '; ' order by source_release) as source_release
    from monthly_asb
    group by
        force_id,
        {{ financial_quarter_start('month_start') }},
        {{ financial_quarter_label('month_start') }}
    -- only quarters the archive and the API cover in full: an uncovered month is not a publication gap
    having count(*) = 3

),

force_counts as (

    select
        force_id,
        period_start,
        cast(period_start + interval 3 month - interval 1 day as date) as period_end,
        'quarter' as period_type,
        period_label,
        'total' as breakdown,
        'all' as breakdown_value,
        case when months_ok = 3 then recorded_count end as value,
        'count' as unit,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        case
            when months_ok = 3 then 'ok'
            when months_with_file = 0 then 'not_available'
            else 'incomplete'
        end as status,
        gaps as status_note,
        source_release
    from quarterly

),

with_population as (

    -- the population ONS used for the same period, else the latest mid-year estimate before it
    {{ population_for_periods('force_counts') }}

),

force_rates as (

    select
        with_population.force_id,
        with_population.period_start,
        with_population.period_end,
        with_population.period_type,
        with_population.period_label,
        with_population.breakdown,
        with_population.breakdown_value,
        case
            when with_population.status = 'ok' and with_population.population > 0
                then 1000.0 * with_population.value / with_population.population
        end as value,
        'rate_per_1000' as unit,
        case
            when with_population.status = 'ok' and with_population.population > 0 then with_population.value
        end as numerator,
        case
            when with_population.status = 'ok' and with_population.population > 0 then with_population.population
        end as denominator,
        case
            when with_population.status <> 'ok' then with_population.status
            when with_population.population is null then 'not_available'
            else 'ok'
        end as status,
        case
            when with_population.status <> 'ok' then with_population.status_note
            when with_population.population is null
                then
                    'no population for this force and period: '
                    || coalesce(with_population.population_note, 'not published')
        end as status_note,
        with_population.source_release || '; population ' || coalesce(with_population.population_vintage, 'none')
            as source_release
    from with_population

),

force_rows as (

    select * from force_counts
    union all
    select * from force_rates

),

sourced as (

    select
        *,
        'data.police.uk street-level ASB (archive street files; the API by neighbourhood area for months '
        || 'beyond the archive); population: ONS' as source
    from force_rows

),

england_and_wales as (

    {{ england_and_wales_total('sourced') }}

),

measure_values as (

    select
        force_id,
        period_start,
        period_end,
        period_type,
        period_label,
        breakdown,
        breakdown_value,
        value,
        unit,
        numerator,
        denominator,
        status,
        status_note,
        source,
        source_release
    from sourced
    union all
    select * from england_and_wales

),

final as (

    {{ measure_contract('police_recorded_asb_incidents', 'measure_values') }}

)

select * from final
