# FT Lab key/value server: 4 keys (word values, missing = 0).
#   op 2 put(key, v) → v;  op 3 get(key) → value;  op 4 append(key, d) → value*16 + (d & 15)
# (an "append" of one hex digit, so histories stay checkable). Wire format (little-endian, see src/core/ft/client.ts):
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
        la      s3, store

wait:
        lw      t1, RX_CTRL(s0)
        andi    t1, t1, 1
        bnez    t1, handle
        wfi
        j       wait

handle:
        lbu     t2, 3(s1)               # op
        lbu     t6, 4(s1)               # key
        andi    t6, t6, 3
        slli    t6, t6, 2
        add     t6, t6, s3              # &store[key]
        lbu     a0, 5(s1)               # arg (little-endian word at offset 5)
        lbu     a1, 6(s1)
        slli    a1, a1, 8
        or      a0, a0, a1
        lbu     a1, 7(s1)
        slli    a1, a1, 16
        or      a0, a0, a1
        lbu     a1, 8(s1)
        slli    a1, a1, 24
        or      a0, a0, a1
        li      t0, 2
        beq     t2, t0, put
        li      t0, 4
        beq     t2, t0, append
        lw      t3, 0(t6)               # get (and anything else)
        j       reply
put:
        sw      a0, 0(t6)
        mv      t3, a0
        j       reply
append:
        lw      t3, 0(t6)
        slli    t3, t3, 4
        andi    a0, a0, 15
        or      t3, t3, a0
        sw      t3, 0(t6)
reply:
        lbu     t4, 0(s1)
        sb      t4, 0(s2)
        lbu     t4, 1(s1)
        sb      t4, 1(s2)
        lbu     t4, 2(s1)
        sb      t4, 2(s2)
        sb      t3, 3(s2)
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
        li      t0, 3
        sw      t0, RX_CTRL(s0)
        sw      s2, TX_ADDR(s0)
        li      t0, 11
        sw      t0, TX_LEN(s0)
        sw      t0, TX_GO(s0)
        j       wait

        .data
store:  .word 0, 0, 0, 0
replyseq: .word 0
rxbuf:  .space 64
txbuf:  .space 16
