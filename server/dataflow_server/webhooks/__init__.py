"""Webhook deliveries: payloads, Standard Webhooks signing, the outbox dispatcher."""
