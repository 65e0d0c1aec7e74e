-- PPF and NPG headline: Public perception of police visibility in local area.
-- Crime Survey for England and Wales estimates for England and Wales, with 95% intervals.
{{ csew_measure('public_perception_police_visibility') }}
