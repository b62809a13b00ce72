/* crt0.S — freestanding start-up for FT Lab / QEMU virt (RV32IM, machine mode). */
        .section .text.init
        .globl _start
_start:
        la      sp, __stack_top
        la      t0, __bss_start         /* zero .bss */
        la      t1, __bss_end
1:      bgeu    t0, t1, 2f
        sw      zero, 0(t0)
        addi    t0, t0, 4
        j       1b
2:      call    main
        call    ftlab_exit              /* exit(main's return value) */
3:      j       3b
