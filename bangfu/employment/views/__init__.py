"""Pages of employment, one module per subject: workshops (site overview, workshop page, payroll,
the workshop form), training, welfare posts, collective assets. The officers' forms post to the
same services as the API; input problems come back next to their field."""
