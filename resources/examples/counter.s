# counter.s — a counter server on the FT Lab NIC (registers: src/core/machine/devices/nic.ts).
#
# Request : any packet; its first 8 bytes are an opaque tag (client id, request id).
# Reply   : 16 bytes = tag (8, zero-padded) | counter (u32 LE, after the increment)
#           | reply sequence number (u32 LE, 1 for the first reply; kept in guest memory).
#
# The guest sleeps in wfi with mie.MEIE set and mstatus.MIE clear: a packet
# wakes it without a trap, it serves the packet, acknowledges it and sleeps again.
        .equ NIC, 0x10200000
        .equ RX_ADDR, 0x00
        .equ RX_CAP, 0x04
        .equ RX_LEN, 0x08
        .equ RX_CTRL, 0x0C
        .equ TX_ADDR, 0x18
        .equ TX_LEN, 0x1C
        .equ TX_GO, 0x20
        .text
        .globl _start
_start:
        li      s0, NIC
        la      s1, rxbuf
        la      s2, txbuf
        la      s3, state
        sw      s1, RX_ADDR(s0)
        li      t0, 64
        sw      t0, RX_CAP(s0)
        li      t0, 2
        sw      t0, RX_CTRL(s0)         # IE: RX_FULL raises mip.MEIP
        li      t0, 0x800
        csrw    mie, t0                 # MEIE (wfi wakes; MIE stays 0: no trap)
        sw      s2, TX_ADDR(s0)
wait:   lw      t0, RX_CTRL(s0)
        andi    t0, t0, 1
        bnez    t0, serve
        wfi
        j       wait
serve:
        lw      t1, RX_LEN(s0)
        sw      zero, 0(s2)             # tag: zero-padded copy of up to 8 bytes
        sw      zero, 4(s2)
        li      t2, 8
        bleu    t1, t2, 1f
        mv      t1, t2
1:      li      t2, 0
2:      beq     t2, t1, 3f
        add     t3, s1, t2
        lbu     t4, 0(t3)
        add     t3, s2, t2
        sb      t4, 0(t3)
        addi    t2, t2, 1
        j       2b
3:      lw      t0, 0(s3)               # counter += 1
        addi    t0, t0, 1
        sw      t0, 0(s3)
        sw      t0, 8(s2)
        lw      t0, 4(s3)               # reply seq += 1
        addi    t0, t0, 1
        sw      t0, 4(s3)
        sw      t0, 12(s2)
        li      t0, 16
        sw      t0, TX_LEN(s0)
        sw      t0, TX_GO(s0)           # send the reply
        li      t0, 3
        sw      t0, RX_CTRL(s0)         # ACK (keep IE): the next packet, if any, lands now
        j       wait

        .data
        .align 2
state:  .word 0, 0                      # counter, reply sequence number
rxbuf:  .space 64
txbuf:  .space 16
