"""Pure-Python rules of employment (no Django imports)."""
