# kv.s — a key/value server on the FT Lab NIC (registers: src/core/machine/devices/nic.ts).
#
# Request : tag (8 bytes, opaque) | op (1: 'P' put, 'G' get, 'A' append) | key (1 byte, 0..63)
#           | len (1 byte) | pad (1) | value bytes (len)
# Reply   : tag (8) | status (1: 0 ok, 1 bad request, 2 value too long) | len (1) | pad (2)
#           | value (len): the value after the operation (put/append) or the stored one (get)
# Values hold at most 48 bytes; an append that would exceed that fails with status 2.
        .equ NIC, 0x10200000
        .equ RX_ADDR, 0x00
        .equ RX_CAP, 0x04
        .equ RX_LEN, 0x08
        .equ RX_CTRL, 0x0C
        .equ TX_ADDR, 0x18
        .equ TX_LEN, 0x1C
        .equ TX_GO, 0x20
        .equ KEYS, 64
        .equ VMAX, 48
        .equ SLOT, 64                   # per key: len (4 bytes) + value (VMAX) + pad
        .text
        .globl _start
_start:
        li      s0, NIC
        la      s1, rxbuf
        la      s2, txbuf
        la      s3, table
        sw      s1, RX_ADDR(s0)
        li      t0, 128
        sw      t0, RX_CAP(s0)
        li      t0, 2
        sw      t0, RX_CTRL(s0)
        li      t0, 0x800
        csrw    mie, t0
        sw      s2, TX_ADDR(s0)
wait:   lw      t0, RX_CTRL(s0)
        andi    t0, t0, 1
        bnez    t0, serve
        wfi
        j       wait

serve:
        lw      s4, RX_LEN(s0)
        lw      t0, 0(s1)               # echo the tag
        sw      t0, 0(s2)
        lw      t0, 4(s1)
        sw      t0, 4(s2)
        sw      zero, 8(s2)             # status 0, len 0
        li      a0, 1                   # status if anything is wrong
        li      t0, 12
        bltu    s4, t0, reply_status    # shorter than the header
        lbu     t1, 9(s1)               # key
        li      t0, KEYS
        bgeu    t1, t0, reply_status
        slli    t1, t1, 6               # * SLOT
        add     s5, s3, t1              # s5 = slot
        lbu     s6, 10(s1)              # request value length
        addi    t0, s6, 12
        bltu    s4, t0, reply_status    # value shorter than announced
        lbu     t0, 8(s1)               # op
        li      t1, 'G'
        beq     t0, t1, reply_value
        li      t1, 'P'
        beq     t0, t1, do_put
        li      t1, 'A'
        beq     t0, t1, do_append
        j       reply_status

do_put:
        li      a0, 2
        li      t0, VMAX
        bgtu    s6, t0, reply_status
        sw      zero, 0(s5)
do_append:
        lw      t2, 0(s5)               # current length
        add     t3, t2, s6
        li      a0, 2
        li      t0, VMAX
        bgtu    t3, t0, reply_status
        li      t4, 0                   # copy value to slot + 4 + current length
1:      beq     t4, s6, 2f
        add     t5, s1, t4
        lbu     t6, 12(t5)
        add     t5, s5, t2
        add     t5, t5, t4
        sb      t6, 4(t5)
        addi    t4, t4, 1
        j       1b
2:      sw      t3, 0(s5)
reply_value:                            # status 0, value = the slot's value
        lw      t2, 0(s5)
        sb      zero, 8(s2)
        sb      t2, 9(s2)
        li      t4, 0
3:      beq     t4, t2, 4f
        add     t5, s5, t4
        lbu     t6, 4(t5)
        add     t5, s2, t4
        sb      t6, 12(t5)
        addi    t4, t4, 1
        j       3b
4:      addi    t0, t2, 12
        j       send

reply_status:                           # a0 = status, no value
        sb      a0, 8(s2)
        li      t0, 12
send:
        sw      t0, TX_LEN(s0)
        sw      t0, TX_GO(s0)
        li      t0, 3
        sw      t0, RX_CTRL(s0)         # ACK, keep IE
        j       wait

        .data
        .align 2
rxbuf:  .space 128
txbuf:  .space 64
table:  .space 4096                     # KEYS * SLOT
