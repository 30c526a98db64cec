"""Pages of the donations part, by who uses them: ``public`` (donors), ``associations``
(device requests), ``workshop`` (refurbishers), ``team`` (the platform team)."""
