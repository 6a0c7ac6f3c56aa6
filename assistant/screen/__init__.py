"""Screening of every inbound message: card numbers and SSNs are redacted before it is
stored (redaction.py), and the stored, redacted text is checked for crisis language
before anything else handles it (the crisis/ package)."""
