"""SpendSense data service."""
