#!/bin/sh
# Builds main.elf from crt0.S + main.c (riscv64-unknown-elf-gcc, RV32IM, freestanding).
set -eu
cd "$(dirname "$0")"
riscv64-unknown-elf-gcc -march=rv32im_zicsr -mabi=ilp32 -O2 -nostdlib -ffreestanding -fno-builtin \
  -Wall -Wextra -T link.ld -Wl,--no-relax -Wl,--no-warn-rwx-segments -o main.elf crt0.S main.c
