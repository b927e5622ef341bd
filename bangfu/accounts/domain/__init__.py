"""Pure-Python rules of accounts (no Django imports)."""
