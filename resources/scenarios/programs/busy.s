# A busy counter server: between requests it keeps computing — a running
# checksum over a 16 KiB table that it also rewrites (4 pages stay dirty).
# Compute-bound, so it shows what each scheme ships per million instructions:
# the log only carries the requests, checkpoints carry the dirty pages. Wire format (little-endian, see src/core/ft/client.ts):
#   request [client u8][reqId u16][op u8][key u8][arg u32]
#   reply   [client u8][reqId u16][result u32][seq u32]
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
        la      a4, table               # no request: one pass of work
        li      a5, 4096                # words
        mv      a6, zero
work:   lw      a7, 0(a4)
        add     a6, a6, a7
        addi    a7, a6, 1
        sw      a7, 0(a4)
        addi    a4, a4, 4
        addi    a5, a5, -1
        andi    t1, a5, 255             # poll the NIC every 256 words
        bnez    t1, work_next
        lw      t1, RX_CTRL(s0)
        andi    t1, t1, 1
        bnez    t1, handle
work_next:
        bnez    a5, work
        j       wait

handle:
        lw      t3, 0(s3)               # counter += 1
        addi    t3, t3, 1
        sw      t3, 0(s3)
        lbu     t4, 0(s1)               # echo client and request id
        sb      t4, 0(s2)
        lbu     t4, 1(s1)
        sb      t4, 1(s2)
        lbu     t4, 2(s1)
        sb      t4, 2(s2)
        sb      t3, 3(s2)               # result, little-endian
        srli    t5, t3, 8
        sb      t5, 4(s2)
        srli    t5, t3, 16
        sb      t5, 5(s2)
        srli    t5, t3, 24
        sb      t5, 6(s2)
        la      t6, replyseq            # the reply's sequence number lives in guest memory
        lw      t0, 0(t6)               # (replicated like any state: a new primary continues it)
        addi    t0, t0, 1
        sw      t0, 0(t6)
        sb      t0, 7(s2)
        srli    t5, t0, 8
        sb      t5, 8(s2)
        srli    t5, t0, 16
        sb      t5, 9(s2)
        srli    t5, t0, 24
        sb      t5, 10(s2)
        li      t0, 3                   # ACK the packet, keep IE
        sw      t0, RX_CTRL(s0)
        sw      s2, TX_ADDR(s0)
        li      t0, 11
        sw      t0, TX_LEN(s0)
        sw      t0, TX_GO(s0)           # send the reply (an output)
        j       wait

        .data
counter: .word 0
        .align 12
table:  .space 16384
replyseq: .word 0
rxbuf:  .space 64
txbuf:  .space 16
