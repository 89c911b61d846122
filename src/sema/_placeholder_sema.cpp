// Removed once sema has real sources.
