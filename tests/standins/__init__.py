"""Stand-ins for external services (Telegram Bot API), shared by tests and benchmarks."""
