-- NPG contextual: Perceptions of ASB in local area.
-- Crime Survey for England and Wales estimates for England and Wales, with 95% intervals.
{{ csew_measure('perception_asb_problem_local_area') }}
