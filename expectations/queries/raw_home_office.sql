-- One row per Home Office dataset x financial year x quarter: which forces the loaded rows cover, and
-- the counts that would betray a parsing or publication problem. Aggregated in DuckDB first.
with

force_names as (

    select
        lower(trim(name_variant)) as name_key,
        force_id
    from reference.force_name_variants
    where force_id <> 'K04000001'

),

cells as (

    select
        'prc_force_area' as dataset,
        financial_year,
        financial_quarter,
        force_name,
        offence_code,
        '' as outcome_type,
        offence_count as value,
        offence_count_marker as marker
    from raw_home_office.prc_force_area
    union all
    select
        'crime_outcomes' as dataset,
        financial_year,
        financial_quarter,
        force_name,
        offence_code,
        outcome_type,
        outcomes_recorded_in_quarter as value,
        outcomes_recorded_in_quarter_marker as marker
    from raw_home_office.crime_outcomes

),

-- offences recorded in a year (a PRC count, or the sum of a code's outcome types) may have negative
-- quarterly corrections, but never a negative annual total
annual as (

    select
        dataset,
        financial_year,
        count(*) filter (where annual_total < 0) as negative_annual_totals
    from (
        select
            dataset,
            financial_year,
            force_name,
            offence_code,
            sum(value) as annual_total
        from cells
        group by all
    ) as by_code
    group by all

),

quarters as (

    select
        cells.dataset,
        cells.financial_year,
        cells.financial_quarter,
        count(*) as rows_loaded,
        count(distinct force_names.force_id) as forces_present,
        count(*) filter (
            where force_names.force_id is null
            and lower(trim(cells.force_name)) not in
            ('british transport police', 'action fraud', 'cifas', 'uk finance', 'financial fraud action uk')
        ) as rows_with_unknown_force,
        count(*) filter (where cells.value is null and cells.marker is null) as cells_without_value_or_marker,
        count(*) filter (where regexp_matches(cells.outcome_type, '^\d+[a-z]$')) as alternate_outcome_rows
    from cells
    left join force_names
        on lower(trim(cells.force_name)) = force_names.name_key
    group by all

),

final as (

    select
        quarters.*,
        annual.negative_annual_totals
    from quarters
    inner join annual
        on quarters.dataset = annual.dataset and quarters.financial_year = annual.financial_year

)

select * from final
