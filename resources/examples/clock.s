# clock.s — reads every non-deterministic input a guest can see and prints it:
#   time (CSR 0xC01), cycle (0xC00), seed (Zkr, 0x015), mhostid (FT Lab, 0xFC0)
#   and the CLINT's mtime register. Under FT the backup prints the *same*
#   values as the primary: they come from the log, not from its own host.
        .equ UART, 0x10000000
        .equ FINISHER, 0x00100000
        .equ MTIME, 0x0200BFF8
        .text
        .globl _start
_start:
        li      sp, 0x80100000
        la      a0, s_time
        csrr    a1, time
        call    show
        la      a0, s_cycle
        csrr    a1, cycle
        call    show
        la      a0, s_seed
        csrrw   a1, 0x015, zero        # seed: read with a read-write access (Zkr)
        call    show
        la      a0, s_host
        csrr    a1, 0xfc0              # mhostid
        call    show
        la      a0, s_mtime
        li      t0, MTIME
        lw      a1, 0(t0)
        call    show
        la      a0, s_instret
        csrr    a1, instret            # deterministic: the icount
        call    show
        li      t0, FINISHER
        li      t1, 0x5555
        sw      t1, 0(t0)
1:      j       1b

# show(a0 = label, a1 = value): prints "label0x%08x\n"
show:
        addi    sp, sp, -8
        sw      ra, 4(sp)
        sw      a1, 0(sp)
        call    puts
        lw      a0, 0(sp)
        call    puthex
        li      a0, '\n'
        call    putc
        lw      ra, 4(sp)
        addi    sp, sp, 8
        ret

puts:   # a0 = string; clobbers a0, t0, t1
        li      t0, UART
2:      lbu     t1, 0(a0)
        beqz    t1, 3f
        sb      t1, 0(t0)
        addi    a0, a0, 1
        j       2b
3:      ret

putc:   # a0 = byte
        li      t0, UART
        sb      a0, 0(t0)
        ret

puthex: # a0 = value: "0x" and 8 hex digits
        li      t0, UART
        li      t1, '0'
        sb      t1, 0(t0)
        li      t1, 'x'
        sb      t1, 0(t0)
        li      t2, 28
4:      srl     t1, a0, t2
        andi    t1, t1, 15
        addi    t1, t1, '0'
        li      t3, '9'
        ble     t1, t3, 5f
        addi    t1, t1, 'a' - '0' - 10
5:      sb      t1, 0(t0)
        addi    t2, t2, -4
        bgez    t2, 4b
        ret

        .data
s_time:    .asciz "time    "
s_cycle:   .asciz "cycle   "
s_seed:    .asciz "seed    "
s_host:    .asciz "mhostid "
s_mtime:   .asciz "mtime   "
s_instret: .asciz "instret "
