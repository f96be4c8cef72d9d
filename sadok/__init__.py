"""Sadok: one city-wide, automated and transparent kindergarten queue for Kyiv."""
