-- NPG pillar 2 headline: % of a force's neighbourhoods with a named officer contactable online (a
-- team member with a name and at least one contact detail on police.uk), from the data.police.uk API.
{{ neighbourhood_share_measure('neighbourhoods_with_named_contactable_officer', 'has_named_contactable_officer') }}
