"""`make bench`: speed and memory figures for the per-message path (printed, not asserted)."""
