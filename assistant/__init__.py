"""The practice's always-on front desk: gateway, store and self-service logic."""
