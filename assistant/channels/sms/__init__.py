"""The Twilio SMS channel: signed webhooks, persisted inbound, an outbox with retries."""
