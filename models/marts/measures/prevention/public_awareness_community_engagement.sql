-- PPF and NPG headline: Public awareness of community engagement activity.
-- Crime Survey for England and Wales estimates for England and Wales, with 95% intervals.
{{ csew_measure('public_awareness_community_engagement') }}
