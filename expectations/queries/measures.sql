-- Every row of every table in schema `measures` (they share the contract columns), with the
-- look-ups the suite checks: is the measure in the catalogue, is the force known, is a rate
-- consistent with its numerator and denominator. validate.py fills in the union of measure tables.
with

measure_rows as (

    {measure_tables}

)

select
    measure_rows.*,
    catalogue.measure_id is not null as is_in_catalogue,
    forces.force_id is not null as is_known_force,
    case
        when measure_rows.unit = 'rate_per_1000' and measure_rows.value is not null
            then abs(measure_rows.value - 1000.0 * measure_rows.numerator / measure_rows.denominator)
    end as rate_error
from measure_rows
left join reference.framework_measures as catalogue
    on measure_rows.measure_id = catalogue.measure_id
left join core.dim_force as forces
    on measure_rows.force_id = forces.force_id
