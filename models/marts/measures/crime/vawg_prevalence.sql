-- PPF headline: Prevalence of VAWG.
-- Crime Survey for England and Wales estimates for England and Wales, with 95% intervals.
{{ csew_measure('vawg_prevalence') }}
