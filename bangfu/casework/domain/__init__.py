"""Pure-Python rules of casework (no Django imports)."""
