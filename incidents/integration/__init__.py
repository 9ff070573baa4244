"""What partners' systems talk to: the change feed, webhooks, import jobs and exports."""
