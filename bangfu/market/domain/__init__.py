"""Pure-Python rules of market (no Django imports)."""
