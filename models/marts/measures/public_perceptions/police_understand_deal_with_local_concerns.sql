-- PPF and NPG headline: Public perceptions of whether police understand and deal with their local concerns.
-- Crime Survey for England and Wales estimates for England and Wales, with 95% intervals.
{{ csew_measure('police_understand_deal_with_local_concerns') }}
