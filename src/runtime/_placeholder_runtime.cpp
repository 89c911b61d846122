// Removed once runtime has real sources.
