-- PPF headline: Prevalence of: fraud; computer misuse.
-- Crime Survey for England and Wales estimates for England and Wales, with 95% intervals.
{{ csew_measure('fraud_computer_misuse_prevalence') }}
