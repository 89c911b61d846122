#pragma once

// Fires usdt probe sonde:guarded (which has a semaphore) with `i` when the
// semaphore is set; returns whether it was.
int probe_target_guarded(long i);
