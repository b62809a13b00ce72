/* ftlab.h — the few devices a freestanding guest needs (QEMU virt compatible). */
#ifndef FTLAB_H
#define FTLAB_H
#include <stdint.h>

#define UART_THR ((volatile uint8_t *)0x10000000)
#define UART_LSR ((volatile uint8_t *)0x10000005)
#define FINISHER ((volatile uint32_t *)0x00100000)

static inline void putc_(char c) {
  while ((*UART_LSR & 0x20) == 0) {}
  *UART_THR = (uint8_t)c;
}

static inline void puts_(const char *s) {
  while (*s) putc_(*s++);
}

static inline void puthex(uint32_t v) {
  putc_('0'); putc_('x');
  for (int s = 28; s >= 0; s -= 4) putc_("0123456789abcdef"[(v >> s) & 15]);
}

static inline void putdec(uint32_t v) {
  char buf[11];
  int n = 0;
  do { buf[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  while (n) putc_(buf[--n]);
}

/* Called by crt0 with main's return value: 0 → pass, else fail with that code. */
void ftlab_exit(int code) __attribute__((noreturn));
void ftlab_exit(int code) {
  *FINISHER = code == 0 ? 0x5555u : (((uint32_t)code << 16) | 0x3333u);
  for (;;) {}
}
#endif
