-- One row per period type x period start x period end: every month, financial-year quarter and
-- financial year from April 2010 to March 2036, plus any other period a measure reports (snapshot
-- dates, rolling 12 months), with the same period a year earlier.
with

months as (

    select cast(spine.month_start as date) as period_start
    from range(date '2010-04-01', date '2036-04-01', interval 1 month) as spine (month_start)

),

calendar_periods as (

    select
        'month' as period_type,
        period_start,
        cast(period_start + interval 1 month - interval 1 day as date) as period_end,
        {{ month_label('period_start') }} as period_label
    from months

    union all

    select
        'quarter' as period_type,
        period_start,
        cast(period_start + interval 3 month - interval 1 day as date) as period_end,
        {{ financial_quarter_label('period_start') }} as period_label
    from months
    where month(period_start) in (1, 4, 7, 10)

    union all

    select
        'financial_year' as period_type,
        period_start,
        cast(period_start + interval 12 month - interval 1 day as date) as period_end,
        cast(year(period_start) as varchar) || '-' || right(cast(year(period_start) + 1 as varchar), 2)
            as period_label
    from months
    where month(period_start) = 4

),

reported_periods as (

    select distinct
        period_type,
        period_start,
        period_end,
        period_label
    from {{ ref('fct_measure_values') }}
    where period_type not in ('month', 'quarter', 'financial_year')

),

all_periods as (

    select * from calendar_periods
    union all
    select * from reported_periods

),

final as (

    select
        period_type,
        period_start,
        period_end,
        period_label,
        cast(year(period_start) - case when month(period_start) < 4 then 1 else 0 end as integer)
            as financial_year_start,
        cast(period_start - interval 12 month as date) as year_earlier_period_start,
        cast(period_end - interval 12 month as date) as year_earlier_period_end
    from all_periods

)

select * from final
