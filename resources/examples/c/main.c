/* main.c — a freestanding C guest: primes, a Collatz record and a string, then exit 0. */
#include "ftlab.h"

static uint32_t sieve[1024];

int main(void) {
  puts_("FT Lab C guest\n");
  uint32_t count = 0, last = 0;
  for (uint32_t i = 2; i < 32768; i++) {
    if (sieve[i >> 5] & (1u << (i & 31))) continue;
    count++;
    last = i;
    for (uint32_t j = i * 2; j < 32768; j += i) sieve[j >> 5] |= 1u << (j & 31);
  }
  puts_("primes below 32768: "); putdec(count); puts_(", largest "); putdec(last); putc_('\n');
  uint32_t best = 0, bestLen = 0;
  for (uint32_t n = 1; n < 3000; n++) {
    uint32_t x = n, len = 0;
    while (x != 1) { x = (x & 1) ? 3 * x + 1 : x / 2; len++; }
    if (len > bestLen) { bestLen = len; best = n; }
  }
  puts_("longest Collatz chain below 3000: "); putdec(best); puts_(" ("); putdec(bestLen); puts_(" steps)\n");
  return 0;
}
