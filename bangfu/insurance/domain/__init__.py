"""Pure-Python rules of insurance (no Django imports)."""
