-- One row per CSEW dataset x table x period of the loaded editions: the counts that would betray a
-- parsing problem (a cell neither a number nor a marker, an interval that does not hold its estimate,
-- a base that is not a positive count). Aggregated in DuckDB first.
select
    dataset,
    table_id,
    period_label,
    count(*) as rows_loaded,
    count(*) filter (where value is null and value_marker is null) as cells_without_value_or_marker,
    count(*) filter (where ci_lower > value or ci_upper < value) as intervals_not_holding_the_estimate,
    count(*) filter (where (ci_lower is null) <> (ci_upper is null)) as half_intervals,
    count(*) filter (where unweighted_base <= 0) as non_positive_bases,
    count(*) filter (where period_end <= period_start) as bad_periods
from raw_ons_csew.estimates
group by dataset, table_id, period_label
