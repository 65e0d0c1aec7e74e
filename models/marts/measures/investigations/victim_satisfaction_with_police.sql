-- PPF monitoring: Victim satisfaction with the police.
-- Crime Survey for England and Wales estimates for England and Wales, with 95% intervals.
{{ csew_measure('victim_satisfaction_with_police') }}
