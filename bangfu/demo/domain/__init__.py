"""Pure-Python rules of demo (no Django imports)."""
