-- PPF and NPG headline: completion of NPP 2, 3 and 4 training portfolios, by force, month and NPP
-- level: eligible posts and completed portfolios (count) and completed as % of eligible posts.
-- From the College of Policing template seeds/college_of_policing/npp_training_portfolios.csv (no
-- open data exists); empty until data is supplied.
with

portfolios as (

    select * from {{ ref('npp_training_portfolios') }}

),

eligible_posts as (

    select
        force_id,
        month_start,
        npp_level,
        'eligible_posts' as breakdown,
        cast(eligible_posts as double) as value,
        source_release
    from portfolios

),

completed_portfolios as (

    select
        force_id,
        month_start,
        npp_level,
        'completed_portfolios' as breakdown,
        cast(completed_portfolios as double) as value,
        source_release
    from portfolios

),

counts as (

    select * from eligible_posts
    union all
    select * from completed_portfolios

),

force_rows as (

    select
        force_id,
        {{ month_period() }},
        breakdown,
        npp_level as breakdown_value,
        value,
        'count' as unit,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        'ok' as status,
        cast(null as varchar) as status_note,
        'College of Policing management information (template)' as source,
        source_release
    from counts

    union all

    select
        force_id,
        {{ month_period() }},
        'completed_share_of_eligible_posts' as breakdown,
        npp_level as breakdown_value,
        case when eligible_posts > 0 then 100.0 * completed_portfolios / eligible_posts end as value,
        'percent' as unit,
        cast(completed_portfolios as double) as numerator,
        cast(eligible_posts as double) as denominator,
        case when eligible_posts > 0 then 'ok' else 'not_available' end as status,
        case when eligible_posts = 0 then 'no eligible posts' end as status_note,
        'College of Policing management information (template)' as source,
        source_release
    from portfolios

),

{{ measure_with_england_and_wales('npp_training_portfolios_completed') }}
