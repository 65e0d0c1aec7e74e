-- PPF and NPG headline: Public perceptions of trust and confidence in the local police.
-- Crime Survey for England and Wales estimates for England and Wales, with 95% intervals.
{{ csew_measure('public_trust_confidence_local_police') }}
