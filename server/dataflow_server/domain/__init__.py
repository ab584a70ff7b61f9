"""Pure domain: definitions, value types, templates, validation. No gRPC, no SQL, no I/O."""
