"""The pure core of Sadok: queue order, age eligibility, offers and waves.

Plain Python over plain data. It imports nothing from Django or from the other
Sadok apps (import-linter enforces it), so the rules can be read, tested and
benchmarked on their own.
"""
