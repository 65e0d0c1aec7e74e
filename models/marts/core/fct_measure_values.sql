-- Every measure table as one long table: one row per measure x force x period x breakdown x unit.
-- The refs are listed by hand because dbt must see them when it parses the project; the test
-- assert_every_measure_table_is_in_fct_measure_values fails if a measure model is left out.
--
-- Incremental by measure: a refresh rebuilds the measure tables downstream of the changed source
-- and replaces only their rows here (macros/measure_tables_to_read.sql), not the million rows of
-- every measure. Code and seed changes rebuild it whole (`make transform` runs --full-refresh).
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_measure_rows_to_replace() }}",
        on_schema_change='fail'
    )
}}

{%- set measure_tables = [
    ref('asb_action_plan_published'),
    ref('asb_lead_officer_in_force'),
    ref('calls_101_median_answer_time'),
    ref('calls_999_and_101_volume'),
    ref('calls_999_answered_within_10_seconds'),
    ref('calls_999_median_answer_time'),
    ref('complaints_and_conduct_allegation_results'),
    ref('complaints_and_conduct_allegation_types'),
    ref('complaints_and_conduct_cases'),
    ref('complaints_and_conduct_days_to_finalise'),
    ref('county_line_holders_charged'),
    ref('county_lines_arrests'),
    ref('county_lines_closed'),
    ref('county_lines_safeguarding_referrals'),
    ref('county_lines_weapons_seized'),
    ref('cps_charges_domestic_abuse_rape_sexual_offences'),
    ref('cps_charging_decision_referrals'),
    ref('cps_charging_decision_referrals_vawg'),
    ref('crime_outcome_rates_by_offence_group'),
    ref('crime_outcomes_by_offence_group'),
    ref('crimes_reported_to_police'),
    ref('csae_charge_outcome_rate'),
    ref('csae_charge_outcomes'),
    ref('csae_victim_attrition_outcome_rate'),
    ref('csae_victim_attrition_outcomes'),
    ref('days_to_charge_csae'),
    ref('days_to_charge_domestic_abuse_sexual_offences'),
    ref('days_to_outcome'),
    ref('female_homicides'),
    ref('fraud_computer_misuse_prevalence'),
    ref('grade_1_incidents_attended_within_target'),
    ref('gross_misconduct_proven_outcomes'),
    ref('homicides'),
    ref('hotspot_patrol_hours'),
    ref('knife_enabled_crime'),
    ref('knife_injury_admissions_over_25'),
    ref('knife_injury_admissions_under_25'),
    ref('misconduct_finding_levels'),
    ref('misconduct_proceedings'),
    ref('neighbourhood_officers_pcsos_13000_uplift'),
    ref('neighbourhood_policing_abstraction'),
    ref('neighbourhood_priorities_updated_last_3_months'),
    ref('neighbourhoods_with_named_contactable_officer'),
    ref('npp_career_pathway_progression'),
    ref('npp_training_portfolios_completed'),
    ref('officer_limited_duties'),
    ref('officer_long_term_sickness'),
    ref('officer_unplanned_leavers'),
    ref('other_crime_prevalence'),
    ref('perception_asb_crime_town_centre'),
    ref('perception_asb_problem_local_area'),
    ref('perception_crime_local_area_reduced'),
    ref('police_procedural_justice'),
    ref('police_recorded_asb_incidents'),
    ref('police_recorded_crime_rates'),
    ref('police_understand_deal_with_local_concerns'),
    ref('police_use_of_asb_powers'),
    ref('public_awareness_community_engagement'),
    ref('public_experience_of_asb'),
    ref('public_perception_police_visibility'),
    ref('public_trust_confidence_local_police'),
    ref('road_casualties_killed_seriously_injured'),
    ref('satisfaction_police_response_to_asb'),
    ref('sexual_harassment_prevalence'),
    ref('soc_drug_seizures_number'),
    ref('soc_drug_seizures_quantity'),
    ref('soc_lead_disruptions'),
    ref('soc_proceeds_of_crime_receipted'),
    ref('street_crime_repeat_victimisation'),
    ref('town_centre_crime'),
    ref('town_centre_crime_police_uk'),
    ref('town_centre_crime_positive_outcome_rate'),
    ref('town_centre_crime_positive_outcomes'),
    ref('vawg_charge_outcome_rate'),
    ref('vawg_charge_outcomes'),
    ref('vawg_prevalence'),
    ref('vawg_protection_orders'),
    ref('vawg_victim_attrition_outcome_rate'),
    ref('vawg_victim_attrition_outcomes'),
    ref('victim_satisfaction_with_police'),
    ref('workforce_by_function_and_officer_staff_mix'),
    ref('workforce_per_1000_population'),
    ref('workforce_proportions'),
] %}

with

unioned as (
    {% for measure_table in measure_tables_to_read(measure_tables) %}
        select * from {{ measure_table }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (

    select * from unioned

)

select * from final
