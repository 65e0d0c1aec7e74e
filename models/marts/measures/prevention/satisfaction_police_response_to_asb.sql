-- PPF and NPG monitoring: Satisfaction with police response to reported ASB.
-- Crime Survey for England and Wales estimates for England and Wales, with 95% intervals.
{{ csew_measure('satisfaction_police_response_to_asb') }}
