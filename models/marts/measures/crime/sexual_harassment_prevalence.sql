-- PPF headline: Prevalence of sexual harassment.
-- Crime Survey for England and Wales estimates for England and Wales, with 95% intervals.
{{ csew_measure('sexual_harassment_prevalence') }}
