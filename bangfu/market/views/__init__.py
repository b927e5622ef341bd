"""Market pages, split by subject: `pages` (catalogue, enterprise, product, event, buyers, orders),
`manage` (officer and enterprise forms), `files` (photos and Excel exports)."""
