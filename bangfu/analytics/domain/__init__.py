"""Pure-Python rules of analytics (no Django imports)."""
