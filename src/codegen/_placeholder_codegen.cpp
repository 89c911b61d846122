// Removed once codegen has real sources.
