-- PPF and NPG headline: Public experience of ASB in their local area.
-- Crime Survey for England and Wales estimates for England and Wales, with 95% intervals.
{{ csew_measure('public_experience_of_asb') }}
