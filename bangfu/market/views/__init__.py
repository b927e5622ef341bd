"""Market pages, split by subject: `pages` (catalogue, enterprise, product, event, buyers, orders),
`manage` (officer and enterprise forms), `certification` (applications and their review steps),
`files` (photos and Excel exports)."""
