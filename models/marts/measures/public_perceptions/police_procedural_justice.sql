-- PPF and NPG headline: Public perceptions of police procedural justice in the local area.
-- Crime Survey for England and Wales estimates for England and Wales, with 95% intervals.
{{ csew_measure('police_procedural_justice') }}
