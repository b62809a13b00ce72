# ticker.s — machine timer interrupts through the CLINT. Arms mtimecmp every
# INTERVAL ticks of mtime (10 MHz: 100000 ticks = 10 ms), prints "tick N" from
# the interrupt handler, sleeps in wfi in between, exits 0 after TICKS ticks.
        .equ UART, 0x10000000
        .equ FINISHER, 0x00100000
        .equ MTIMECMP, 0x02004000
        .equ MTIME, 0x0200BFF8
        .equ INTERVAL, 100000
        .equ TICKS, 5
        .text
        .globl _start
_start:
        li      sp, 0x80100000
        la      t0, handler
        csrw    mtvec, t0              # direct mode
        call    arm
        li      t0, 0x80
        csrw    mie, t0                # MTIE
        csrsi   mstatus, 8             # MIE
idle:   wfi
        la      t0, ticks
        lw      t1, 0(t0)
        li      t2, TICKS
        blt     t1, t2, idle
        li      t0, FINISHER
        li      t1, 0x5555
        sw      t1, 0(t0)
1:      j       1b

# arm: mtimecmp = mtime + INTERVAL (high word first so no spurious interrupt)
arm:
        li      t0, MTIME
        lw      t1, 0(t0)
        lw      t2, 4(t0)
        li      t3, INTERVAL
        add     t3, t1, t3
        sltu    t4, t3, t1
        add     t2, t2, t4
        li      t0, MTIMECMP
        li      t4, -1
        sw      t4, 0(t0)
        sw      t2, 4(t0)
        sw      t3, 0(t0)
        ret

        .align 2
handler:
        addi    sp, sp, -16
        sw      ra, 12(sp)
        sw      t0, 8(sp)
        sw      t1, 4(sp)
        sw      t2, 0(sp)
        la      t0, ticks
        lw      t1, 0(t0)
        addi    t1, t1, 1
        sw      t1, 0(t0)
        li      t0, UART
        la      t2, s_tick
2:      lbu     a0, 0(t2)                # "tick "
        beqz    a0, 3f
        sb      a0, 0(t0)
        addi    t2, t2, 1
        j       2b
3:      addi    t1, t1, '0'              # single digit is enough for TICKS < 10
        sb      t1, 0(t0)
        li      t1, '\n'
        sb      t1, 0(t0)
        call    arm                      # writing mtimecmp clears MTIP
        lw      ra, 12(sp)
        lw      t0, 8(sp)
        lw      t1, 4(sp)
        lw      t2, 0(sp)
        addi    sp, sp, 16
        mret

        .data
ticks:  .word 0
s_tick: .asciz "tick "
