"""Pages of casework, one module per area of work (see the README's package map)."""
