"""Concurrency building blocks with no I/O of their own, shared by the engine and the store."""
