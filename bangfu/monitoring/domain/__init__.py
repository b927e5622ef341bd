"""Pure-Python rules of monitoring (no Django imports)."""
