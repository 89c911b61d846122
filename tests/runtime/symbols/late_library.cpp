// Loaded by the tests after the process's mappings were first read.
namespace symbols_late {

__attribute__((noinline)) int triple(int x) {
  __asm__ volatile("");
  return 3 * x;
}

} // namespace symbols_late
