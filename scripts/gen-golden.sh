#!/bin/sh
# Regenerate the golden fixtures for the assembler/disassembler tests from GNU binutils
# (Debian's riscv64-unknown-elf-*): for every test/fixtures/asm/NAME.s this writes
#   NAME.elf            linked executable (also an input for the ELF loader tests)
#   NAME.bin.hex        objcopy -O binary of it (text..data image), hex
#   NAME.text.hex       the .text section, one 32-bit little-endian word per line
#   NAME.layout.txt     entry point and section name/address/size
#   NAME.nm.txt         symbol table (nm)
#   NAME.objdump.txt    objdump -d
#   NAME.noaliases.txt  objdump -d -M no-aliases
# Usage: sh scripts/gen-golden.sh            (from the repository root)
set -eu
P=${RISCV_PREFIX:-riscv64-unknown-elf-}
DIR=test/fixtures/asm
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for src in "$DIR"/*.s; do
  name=$(basename "$src" .s)
  out="$DIR/$name"
  "${P}as" -march=rv32im_zicsr_zifencei -mabi=ilp32 -o "$TMP/$name.o" "$src"
  "${P}ld" -m elf32lriscv --no-relax -N -Ttext=0x80000000 -o "$out.elf" "$TMP/$name.o" 2>/dev/null
  "${P}objcopy" -O binary "$out.elf" "$TMP/$name.bin"
  od -An -v -tx1 "$TMP/$name.bin" | tr -d ' \n' | fold -w 64 > "$out.bin.hex"
  echo >> "$out.bin.hex"
  "${P}objcopy" -O binary -j .text "$out.elf" "$TMP/$name.text"
  od -An -v -tx4 -w4 --endian=little "$TMP/$name.text" | tr -d ' ' > "$out.text.hex"
  {
    "${P}readelf" -h "$out.elf" | awk '/Entry point/ { print "entry", $4 }'
    "${P}readelf" -SW "$out.elf" | sed 's/^ *\[ *[0-9]*\] *//' |
      awk '$1 ~ /^\.(text|rodata|data|bss)$/ { print $1, "0x" $3, "0x" $5 }'
  } > "$out.layout.txt"
  "${P}nm" -n "$out.elf" > "$out.nm.txt"
  "${P}objdump" -d "$out.elf" | tail -n +3 > "$out.objdump.txt"
  "${P}objdump" -d -M no-aliases "$out.elf" | tail -n +3 > "$out.noaliases.txt"
  echo "golden: $name"
done

# Decoder/disassembler oracle: pseudo-random words, mostly with our major opcodes
# (the rest fully random), disassembled by objdump as a raw binary.
R=$DIR/random-words
awk 'BEGIN {
  split("3 15 19 23 35 51 55 99 103 111 115 51 19 115 99", ops, " ");
  s = 20240607;
  for (i = 0; i < 4000; i++) {
    s = (s * 69069 + 1) % 4294967296; hi = int(s / 65536);
    s = (s * 69069 + 1) % 4294967296; lo = int(s / 65536);
    k = i % 20;
    if (k < 15) lo = lo - (lo % 128) + ops[k + 1];
    else if (k < 18) lo = lo - (lo % 4) + 3;
    printf "%04x%04x\n", hi, lo;
  }
}' > "$R.txt"
perl -ne 'chomp; print pack("V", hex($_))' "$R.txt" > "$TMP/random.bin"
"${P}objdump" -D -b binary -m riscv:rv32 --adjust-vma=0x80000000 "$TMP/random.bin" | tail -n +8 > "$R.objdump.txt"
"${P}objdump" -D -b binary -m riscv:rv32 -M no-aliases --adjust-vma=0x80000000 "$TMP/random.bin" | tail -n +8 > "$R.noaliases.txt"
echo "golden: random words"
