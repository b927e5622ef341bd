"""Pure-Python rules of registry (no Django imports)."""
