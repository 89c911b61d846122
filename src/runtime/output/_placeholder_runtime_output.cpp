// Removed once runtime/output has real sources.
