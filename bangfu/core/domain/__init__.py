"""Pure-Python shared kernel: ID numbers, money, periods, working days."""
