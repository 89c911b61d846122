// The usdt probe with a semaphore. sys/sdt.h gives every probe of a
// translation unit that defines _SDT_HAS_SEMAPHORES a semaphore, so the
// probes without one live in probe_target.c.
#define _SDT_HAS_SEMAPHORES 1
#include "probe_target.h"

#include <sys/sdt.h>

// Set by the kernel while a usdt probe is attached to sonde:guarded.
volatile unsigned short sonde_guarded_semaphore __attribute__((section(".probes")));

int probe_target_guarded(long i) {
  if (!sonde_guarded_semaphore)
    return 0;
  STAP_PROBE1(sonde, guarded, i);
  return 1;
}
