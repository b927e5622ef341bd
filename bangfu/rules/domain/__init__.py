"""Pure-Python rules of rules (no Django imports)."""
