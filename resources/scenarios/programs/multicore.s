# Multicore demonstration (settings.harts = 2): hart 0 serves the counter
# while both harts increment a shared word without atomics. Which updates get
# lost depends on how the host interleaves the harts — not logged, so the
# backup's memory drifts from the primary's.
# Wire format as resources/examples/counter.s: request = an 8-byte tag;
# reply = tag | counter u32 | reply sequence number u32 (16 bytes).
# The guest polls the NIC and sleeps in wfi; the NIC's receive interrupt
# (mie.MEIE) wakes it without trapping (mstatus.MIE stays 0).

        .equ NIC,        0x10200000
        .equ RX_ADDR,    0x00
        .equ RX_CAP,     0x04
        .equ RX_CTRL,    0x0c
        .equ TX_ADDR,    0x18
        .equ TX_LEN,     0x1c
        .equ TX_GO,      0x20

        .text
        .globl _start
_start:
        csrr    t0, mhartid
        bnez    t0, racer
        li      s0, NIC
        la      t0, rxbuf
        sw      t0, RX_ADDR(s0)
        li      t0, 64
        sw      t0, RX_CAP(s0)
        li      t0, 2                   # IE
        sw      t0, RX_CTRL(s0)
        li      t0, 0x800               # mie.MEIE: wfi wakes on a packet
        csrw    mie, t0
        la      s1, rxbuf
        la      s2, txbuf
        la      s3, counter

wait:
        lw      t1, RX_CTRL(s0)
        andi    t1, t1, 1               # RX_FULL?
        bnez    t1, handle
        la      a4, shared              # no packet: race on the shared word
        lw      a5, 0(a4)
        addi    a5, a5, 1
        sw      a5, 0(a4)
        j       wait

racer:  la      a4, shared              # hart 1: increment forever
        lw      a5, 0(a4)
        addi    a5, a5, 1
        sw      a5, 0(a4)
        j       racer

handle:
        lw      t3, 0(s3)               # counter += 1
        addi    t3, t3, 1
        sw      t3, 0(s3)
        lw      t4, 0(s1)               # echo the 8-byte tag (client, request id)
        sw      t4, 0(s2)
        lw      t4, 4(s1)
        sw      t4, 4(s2)
        sw      t3, 8(s2)               # the result
        la      t6, replyseq            # the reply's sequence number lives in guest memory
        lw      t0, 0(t6)               # (replicated like any state: a new primary continues it)
        addi    t0, t0, 1
        sw      t0, 0(t6)
        sw      t0, 12(s2)
        li      t0, 3                   # ACK the packet, keep IE
        sw      t0, RX_CTRL(s0)
        sw      s2, TX_ADDR(s0)
        li      t0, 16
        sw      t0, TX_LEN(s0)
        sw      t0, TX_GO(s0)           # send the reply (an output)
        j       wait

        .data
counter: .word 0
shared: .word 0
replyseq: .word 0
rxbuf:  .space 64
txbuf:  .space 16
