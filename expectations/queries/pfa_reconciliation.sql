-- The independent reconciliation: for every period an ONS police force area tables edition covers and
-- the warehouse's Home Office recorded crime covers too, each force's total recorded crime (excluding
-- fraud) as ONS published it against the warehouse's own total from the PRC open data tables.
-- One row per edition x force where both have a number.
with

ons_totals as (

    select
        edition_label,
        period_start,
        period_end,
        area_code as force_id,
        value as ons_total
    from raw_ons.pfa_table_values
    where
        table_id = 'P1'
        and unit = 'count'
        and area_type = 'police_force_area'
        and measure = 'Total recorded crime (excluding fraud)'
        and value is not null

),

warehouse_totals as (

    select
        force_id,
        period_start,
        period_end,
        offence_count as warehouse_total
    from intermediate.int_home_office__recorded_crime_by_group
    where crime_group = 'total_recorded_crime' and offence_count is not null

),

final as (

    select
        ons_totals.edition_label,
        ons_totals.force_id,
        ons_totals.ons_total,
        warehouse_totals.warehouse_total,
        abs(warehouse_totals.warehouse_total - ons_totals.ons_total) / nullif(ons_totals.ons_total, 0)
            as relative_difference
    from ons_totals
    inner join warehouse_totals
        on
            ons_totals.force_id = warehouse_totals.force_id
            and ons_totals.period_start = warehouse_totals.period_start
            and ons_totals.period_end = warehouse_totals.period_end

)

select * from final
