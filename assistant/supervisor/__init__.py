"""Keeping the front desk's processes up: restarts with backoff, a lifeline so that no child
outlives its supervisor, and a state file under var/run/ that the next start, `/healthz` and
`assistant doctor` read.  Kept free of heavy imports: `lifeline` runs as every child's wrapper.
"""
