# hello.s — print a line on the UART, then exit 0 through the SiFive test finisher.
# Runs the same on FT Lab and on `qemu-system-riscv32 -machine virt -bios none -kernel`.
        .equ UART, 0x10000000          # ns16550: THR at +0, LSR at +5 (bit 5: THR empty)
        .equ FINISHER, 0x00100000      # 0x5555 = pass, (code << 16) | 0x3333 = fail
        .text
        .globl _start
_start:
        la      a0, message
        call    puts
        li      t0, FINISHER
        li      t1, 0x5555
        sw      t1, 0(t0)
1:      j       1b

# puts(a0 = NUL-terminated string)
puts:
        li      t0, UART
2:      lbu     t1, 0(a0)
        beqz    t1, 4f
3:      lbu     t2, 5(t0)              # wait until the transmitter is ready
        andi    t2, t2, 0x20
        beqz    t2, 3b
        sb      t1, 0(t0)
        addi    a0, a0, 1
        j       2b
4:      ret

        .data
message:
        .asciz  "Hello from FT Lab!\n"
