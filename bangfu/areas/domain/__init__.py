"""Pure-Python rules of areas (no Django imports)."""
